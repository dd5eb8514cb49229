"""Shapes of the change feed's responses, for the OpenAPI schema (the views build plain dicts)."""

from rest_framework import serializers

from opendata.models import FeedEvent


class FeedEventSerializer(serializers.Serializer):
    timepoint = serializers.IntegerField(help_text="Strictly increasing in commit order; resume after it.")
    published_at = serializers.DateTimeField()
    op = serializers.ChoiceField(choices=FeedEvent.Op.choices)
    dataset = serializers.CharField()
    id = serializers.CharField(help_text="The record's public id in its dataset (e.g. the USCC).")
    data = serializers.JSONField(
        required=False, help_text="The published record (the dataset's columns); absent when withdrawn."
    )


class FeedPageSerializer(serializers.Serializer):
    events = FeedEventSerializer(many=True)
    next = serializers.IntegerField(help_text="Pass as `after` to continue; the last timepoint read.")
    has_more = serializers.BooleanField(help_text="True when more events follow right away.")


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Each bad parameter with what is wrong with it.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class SnapshotRefSerializer(serializers.Serializer):
    page = serializers.CharField(help_text="The page listing every snapshot.")
    name = serializers.CharField(allow_null=True, help_text="The latest snapshot (null before the first).")
    timepoint = serializers.IntegerField(allow_null=True, help_text="Follow the feed after this timepoint.")
    generated_at = serializers.DateTimeField(allow_null=True)
    files = serializers.DictField(
        child=serializers.CharField(), help_text="Each dataset's JSON Lines file (gzip) in the snapshot."
    )


class GoneBodySerializer(ErrorBodySerializer):
    horizon = serializers.IntegerField(help_text="Events up to this timepoint are no longer kept.")
    retention_days = serializers.IntegerField()
    snapshot = SnapshotRefSerializer(
        help_text="Where to start again: load it, then follow from its timepoint."
    )


class GoneSerializer(serializers.Serializer):
    error = GoneBodySerializer()


class StreamMessageSerializer(serializers.Serializer):
    """One Server-Sent Events message of the stream, as an EventSource client receives it."""

    id = serializers.RegexField(
        r"^[0-9]+$", required=False, help_text="The timepoint; sent back as Last-Event-ID on reconnection."
    )
    event = serializers.ChoiceField(choices=FeedEvent.Op.choices, required=False, help_text="The operation.")
    data = serializers.CharField(
        required=False,
        help_text="The event as JSON, the same object as in /changes/ (FeedEvent). A message with only "
        "an id moves the cursor past events that publish nothing.",
    )
    retry = serializers.IntegerField(required=False, help_text="Milliseconds to wait before reconnecting.")
