"""Django admin for decided applications: each agency's queue of objections, credit repair
applications and applications for removal from the abnormal-operations list."""

from casework.admin import objections, removal, repair  # noqa: F401  (registers the models)
