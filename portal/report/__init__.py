"""The downloadable PDF credit report: the public record of one enterprise, laid out for print."""
