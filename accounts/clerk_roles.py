"""The model permissions each kind of agency clerk needs in admin, as named groups.

A clerk is a staff user with an ``AgencyMembership`` and one of these groups: the group says which
kinds of record they may see and change, the membership limits them to their own agency's rows
(``accounts.permissions``, and each admin's ``get_queryset``). ``clerk_groups_ensure`` creates or
updates the groups from this table.
"""

from __future__ import annotations

MARKET_REGULATION_CLERK = "market-regulation clerk"
COURT_CLERK = "court clerk"


def _crud(app_label: str, model: str, actions: str = "view add change") -> tuple[str, ...]:
    return tuple(f"{app_label}.{action}_{model}" for action in actions.split())


# What they look things up in (subjects, agencies, lists) without changing them.
_LOOK_UP = (
    *_crud("registry", "enterprise", "view"),
    *_crud("registry", "person", "view"),
    *_crud("registry", "agency", "view"),
    *_crud("blacklists", "listtype", "view"),
)

CLERK_ROLES: dict[str, tuple[str, ...]] = {
    # A market-regulation bureau keeps the register's records of its companies, lists them as
    # abnormal or seriously dishonest, and decides objections, credit repair and removal requests.
    MARKET_REGULATION_CLERK: (
        *_LOOK_UP,
        *_crud("registry", "administrativepenalty"),
        *_crud("registry", "abnormaloperationlisting"),
        *_crud("registry", "inspectionrecord"),
        *_crud("registry", "administrativelicence"),
        *_crud("registry", "annualreport", "view"),
        *_crud("accounts", "activationcode", "view add"),
        *_crud("blacklists", "listentry"),
        *_crud("casework", "objection", "view change"),
        *_crud("casework", "repairapplication", "view change"),
        *_crud("casework", "abnormalremovalapplication", "view change"),
        # Double-random inspections: the item list, the inspector directory, plans, tasks, draws.
        *_crud("inspections", "inspectionitem"),
        *_crud("inspections", "inspector"),
        *_crud("inspections", "declaredconflict", "view add"),
        *_crud("inspections", "annualplan"),
        *_crud("inspections", "inspectiontask"),
        *_crud("inspections", "secretcommitment"),
        *_crud("inspections", "drawntarget", "view"),
        *_crud("inspections", "exclusion", "view"),
        *_crud("inspections", "inspectionresult"),
        *_crud("inspections", "resultcategory", "view"),
    ),
    # A court keeps its two lists (defaulters, consumption restrictions) and decides objections to
    # its entries; court listings are not repaired by application.
    COURT_CLERK: (
        *_LOOK_UP,
        *_crud("blacklists", "listentry"),
        *_crud("blacklists", "courtdefaulterdetail", "view"),
        *_crud("blacklists", "consumptionrestrictiondetail", "view"),
        *_crud("casework", "objection", "view change"),
    ),
}
