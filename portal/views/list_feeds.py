"""Feeds of recent publications: one per list (/lists/<slug>/feed/) and one across lists
(/lists/feed/). Atom, in the reader's language; each item links to its entry page."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blacklists.selectors import (
    ABNORMAL_SLUG,
    abnormal_listing_search,
    latest_publications,
    list_entry_search,
    public_list,
)
from portal.templatetags.list_names import local_name

FEED_ITEMS = 30


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class _LanguageFeed(Feed):
    """Atom; the feed's language is the request's (Feed.language left unset)."""

    feed_type = Atom1Feed


class ListFeed(_LanguageFeed):
    """The newest entries in force on one list (or the newest listings of the directory)."""

    def get_object(self, request, slug: str):
        found = public_list(slug=slug)
        if found is None:
            raise Http404(_("No such public list."))
        return found

    def title(self, obj):
        return _("%(list)s: latest entries") % {"list": obj.name}

    def link(self, obj):
        return reverse("portal:list", kwargs={"slug": obj.slug})

    def subtitle(self, obj):
        return _("Entries in force, newest first, as published by %(agency)s.") % {
            "agency": local_name(obj.owner)
        }

    def items(self, obj):
        if obj.slug == ABNORMAL_SLUG:
            return [
                {
                    "pk": listing.pk,
                    "slug": ABNORMAL_SLUG,
                    "name": listing.enterprise.name,
                    "day": listing.listed_on,
                    "agency": local_name(listing.listing_agency),
                    "reason": listing.get_reason_display(),
                }
                for listing in abnormal_listing_search(page_size=FEED_ITEMS).listings
            ]
        return [
            {
                "pk": entry.pk,
                "slug": obj.slug,
                "name": entry.subject_name,
                "day": entry.published_on,
                "agency": local_name(entry.issuing_agency),
                "reason": entry.decision_number,
            }
            for entry in list_entry_search(list_code=obj.slug, page_size=FEED_ITEMS).entries
        ]

    def item_title(self, item):
        return item["name"]

    def item_description(self, item):
        return f"{item['agency']} · {item['reason']} · {item['day'].isoformat()}"

    def item_link(self, item):
        return reverse("portal:list-entry", kwargs={"slug": item["slug"], "pk": item["pk"]})

    def item_pubdate(self, item):
        return _midnight(item["day"])


class AllListsFeed(_LanguageFeed):
    """The latest publications across every public list and the directory."""

    def title(self):
        return _("Public lists: latest publications")

    def link(self):
        return reverse("portal:lists")

    def subtitle(self):
        return _("The newest entries on every public list and in the abnormal-operations directory.")

    def items(self):
        return latest_publications(limit=FEED_ITEMS)

    def item_title(self, item):
        return item.subject_name

    def item_description(self, item):
        zh = (get_language() or "zh").startswith("zh")
        list_name = item.list_name_zh if zh else item.list_name_en
        agency = item.agency_name_zh if zh else item.agency_name_en
        return f"{list_name} · {agency} · {item.published_on.isoformat()}"

    def item_link(self, item):
        return reverse("portal:list-entry", kwargs={"slug": item.slug, "pk": item.pk})

    def item_pubdate(self, item):
        return _midnight(item.published_on)
