"""The header's unread-notice count for the signed-in user."""

from django import template

from portal.models import Follow, Notice

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    user = getattr(context.get("request"), "user", None)
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


@register.simple_tag(takes_context=True)
def follows_enterprise(context, uscc: str) -> bool:
    """Whether the signed-in user follows the enterprise with this USCC."""
    user = getattr(context.get("request"), "user", None)
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, enterprise__uscc=uscc).exists()
