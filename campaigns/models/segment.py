"""A saved, dynamic selection of employers and their contact persons.

Criteria are fields, not a query language: the admin form is the whole builder, and
`campaigns.selectors.segment_persons / segment_employers` turn them into one query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MultipleChoiceField
from crm.models import (
    Canton,
    CooperationType,
    Intensity,
    Language,
    LanguageRegion,
    Office,
    PersonFunction,
    RelationshipStatus,
    SectorGroup,
    SizeClass,
)

from ..querysets import OfficeScopedQuerySet


class Segment(models.Model):
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Employer criteria (empty: any)
    cantons = MultipleChoiceField(_("cantons"), item_choices=Canton.choices)
    language_regions = MultipleChoiceField(
        _("language regions"), item_choices=LanguageRegion.choices
    )
    size_classes = MultipleChoiceField(
        _("size classes"), item_choices=SizeClass.choices
    )
    sector_groups = MultipleChoiceField(
        _("sector groups"), item_choices=SectorGroup.choices
    )
    cooperation_types = MultipleChoiceField(
        _("cooperation types"), item_choices=CooperationType.choices
    )
    intensities = MultipleChoiceField(_("intensities"), item_choices=Intensity.choices)
    relationship_statuses = MultipleChoiceField(
        _("relationship statuses"), item_choices=RelationshipStatus.choices
    )
    last_contact_before = models.DateField(
        _("last case-independent contact before"), null=True, blank=True
    )
    last_contact_after = models.DateField(
        _("last case-independent contact after"), null=True, blank=True
    )
    no_contact_days = models.PositiveIntegerField(
        _("no case-independent contact in the last … days"), null=True, blank=True
    )
    attended_event = models.BooleanField(
        _("attended an event"),
        default=False,
        help_text=_("A contact on the channel 'own event' or 'third-party event'."),
    )
    has_open_job_opportunity = models.BooleanField(
        _("has an open job opportunity"), default=False
    )
    # Contact-person criteria
    person_languages = MultipleChoiceField(
        _("contact person's languages"), item_choices=Language.choices
    )
    functions = MultipleChoiceField(
        _("contact person's functions"), item_choices=PersonFunction.choices
    )
    mailing_list = models.ForeignKey(
        "campaigns.MailingList",
        verbose_name=_("subscribed to list"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    include_segments = models.ManyToManyField(
        "self",
        verbose_name=_("also include segments"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    exclude_segments = models.ManyToManyField(
        "self",
        verbose_name=_("exclude segments"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["office__code", "name"]

    def __str__(self) -> str:
        return self.name
