"""What case management does when housing tells it a tenancy is at risk: the participant's active enrollments
record it, and their visits go up (B2, C8). Connected in CaseworkConfig.ready(); runs in housing's transaction."""

from __future__ import annotations

from django.dispatch import receiver

from ancrage.housing.signals import tenancy_at_risk


@receiver(tenancy_at_risk, dispatch_uid="casework.tenancy_at_risk")
def tenancy_at_risk_raises_visits(
    sender, *, actor, tenancy, risk: str, reason: str = "", since=None, **kwargs
):
    from ancrage.casework.caseload.services import enrollment_set_tenancy_risk
    from ancrage.casework.models import Enrollment
    from ancrage.core import clock

    today = clock.today()
    for enrollment in Enrollment.objects.filter(participant_id=tenancy.participant_id, status="active"):
        if not enrollment.is_active or enrollment.tenancy_at_risk_since is not None:
            continue  # already known at risk: its date and visits stay as the team set them
        day = since or today
        day = min(max(day, enrollment.enrolled_on), today)
        enrollment_set_tenancy_risk(
            actor=actor, enrollment=enrollment, at_risk=True, since=day, reason=reason
        )
