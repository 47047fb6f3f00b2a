"""Casework risk: risk plans, incidents, lost contact and re-engagement, exits."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings

from ancrage.casework.exits import services as exits_services
from ancrage.casework.models import (
    Exit,
    Incident,
    OutreachTask,
    ReengagementPlan,
    RiskAssessment,
)
from ancrage.casework.reengagement import services as reengagement_services
from ancrage.casework.referrals import services as referrals_services
from ancrage.casework.risk import services as risk_services
from ancrage.demo import content as words
from ancrage.demo.names import DAY, PEERS
from ancrage.demo.plan import Episode, Span
from ancrage.demo.state import CaseworkState


class RiskMixin(CaseworkState):
    def risk(self, episode: Episode, day: datetime.date, template, ends: bool) -> None:
        if not self.still_active(episode):
            return
        rng = self.rng
        level, rating, description, paired, office_days, psychiatric, measures = template
        worker = episode.worker_on(day)
        told = min(self.today, day + datetime.timedelta(days=rng.randint(0, 4)))
        review = day + datetime.timedelta(days=rng.choice([30, 60, 90]))
        # Written up once the participant has been told about it (the service refuses a date still to come).
        risk = self.call(
            self.at(told),
            risk_services.risk_assess,
            actor=worker,
            participant=episode.participant,
            assessed_on=day,
            level=level,
            rating=rating,
            description=description,
            paired_visits=paired,
            office_only_until=day + datetime.timedelta(days=office_days) if office_days else None,
            psychiatric_assessment_requested=psychiatric,
            notify_team_on_police=level >= 2,
            other_measures=measures,
            participant_told_on=told,
            review_on=review,
        )
        if paired:
            episode.paired_since = day
            episode.paired_spans.append(Span(day))
        self.counts["risk assessments"] += 1
        if ends:
            end = day + datetime.timedelta(days=rng.randint(30, 120))
            if end < (episode.end or self.today) and end < self.today:
                self.schedule(end, self.risk_end, episode, risk, end)

    def risk_end(self, episode: Episode, risk: RiskAssessment, day: datetime.date) -> None:
        risk.refresh_from_db()
        if risk.ended_on is not None or not self.still_active(episode):
            return
        self.call(self.at(day), risk_services.risk_end, actor=episode.worker_on(day), risk=risk, on=day)
        if risk.paired_visits:
            for span in episode.paired_spans:
                if span.start == risk.assessed_on and span.end is None:
                    span.end = day
        if episode.paired_since and not any(span.end is None for span in episode.paired_spans):
            episode.paired_since = None

    def incident(
        self, episode: Episode, day: datetime.date, kind: str | None, moment=None
    ) -> Incident | None:
        if not self.still_active(episode):
            return None
        rng = self.rng
        kind = kind or self.weighted(words.INCIDENT_WEIGHTS)
        occurred = moment or self.at(day, 0, 23 * 60 + 59)
        source_name = words.PARTNER_SOURCES.get(kind, "")
        partner = bool(source_name) and rng.random() < 0.5
        recorder = episode.worker_on(day)
        recorded = min(self.now, occurred + datetime.timedelta(hours=rng.randint(1, 14)))
        incident = self.call(
            recorded,
            risk_services.incident_record,
            actor=recorder,
            participant=episode.participant,
            kind=kind,
            occurred_at=occurred,
            description=rng.choice(words.INCIDENTS[kind]),
            source=Incident.Source.PARTNER_NOTICE if partner else Incident.Source.STAFF,
            source_name=source_name if partner else "",
        )
        self.counts["incidents"] += 1
        if kind == "eviction_notice" and not episode.at_risk_on(day) and day < self.today - DAY:
            enrollment = episode.enrollment
            assert enrollment is not None
            enrollment.refresh_from_db()
            if enrollment.tenancy_at_risk_since is None:
                self.tenancy_risk(episode, True, day)
                episode.at_risk.append((day, None))
        return incident

    # lost contact (B12)

    def lost_contact_past(self, episode: Episode, day: datetime.date) -> None:
        if not self.still_active(episode):
            return
        worker = episode.worker_on(day)
        plan = self.call(
            self.at(day),
            reengagement_services.lost_contact_flag,
            actor=worker,
            enrollment=episode.enrollment,
            on=day,
            last_contact_on=day - 23 * DAY,
        )
        found_on = day + 12 * DAY
        tasks = list(plan.tasks.order_by("pk"))
        for n, task in enumerate(tasks):
            done = day + DAY * (n + 1)
            if done >= found_on:
                break
            self.call(
                self.at(done),
                reengagement_services.outreach_task_done,
                actor=worker,
                task=task,
                outcome=self.rng.choice(words.LOST_OUTCOMES),
                done_on=done,
            )
        self.call(
            self.at(found_on),
            reengagement_services.reengagement_close,
            actor=worker,
            plan=plan,
            status=ReengagementPlan.Status.RECONNECTED,
            note="Retrouvé au café de rue; va bien, était chez un ami. Visites reprises.",
        )
        self.counts["re-engagement plans"] += 1

    def lost_contacts_now(self) -> None:
        for episode in self.episodes:
            if episode.lost_since is None or not self.still_active(episode):
                continue
            worker = episode.worker_on(self.today)
            flagged = episode.lost_since + datetime.timedelta(days=settings.ANCRAGE["LOST_CONTACT_DAYS"])
            flagged = min(flagged, self.today)
            plan = self.call(
                self.at(flagged),
                reengagement_services.lost_contact_flag,
                actor=worker,
                enrollment=episode.enrollment,
                on=flagged,
                last_contact_on=episode.lost_since,
            )
            tasks = list(plan.tasks.order_by("pk"))
            for n, task in enumerate(tasks[:2]):
                done = min(self.today, flagged + DAY * (n + 1))
                self.call(
                    self.at(done),
                    reengagement_services.outreach_task_done,
                    actor=worker,
                    task=task,
                    outcome=self.rng.choice(words.LOST_OUTCOMES),
                    done_on=done,
                )
            peer = self.users.get(PEERS.get(episode.org, ""))
            self.call(
                self.at(flagged),
                reengagement_services.outreach_task_add,
                actor=worker,
                plan=plan,
                place_kind=OutreachTask.Place.OTHER,
                place="Site de consommation supervisée L'Escale",
                assigned_to=peer or worker,
                due_on=self.today + 2 * DAY,
            )
            self.counts["re-engagement plans"] += 1

    # exits (F1–F3)

    def exit(self, episode: Episode) -> None:
        if not self.still_active(episode):
            return
        rng = self.rng
        day = episode.end
        assert day is not None
        assert episode.enrollment is not None
        worker = episode.worker_on(day)
        state = episode.end_state
        kwargs: dict[str, Any] = {
            "actor": worker,
            "enrollment": episode.enrollment,
            "exited_on": day,
            "procedure_given_on": day - DAY * rng.randint(0, 10) if state != "deceased" else None,
            "note": "",
        }
        if state == "graduation":
            assessment = self.administer(episode, "baseline_functioning", day - DAY * rng.randint(3, 12), "")
            destination = rng.choice([Exit.Destination.OWN_HOUSING, Exit.Destination.SUBSIDISED])
            # F1's readiness indicators: social housing needs no rent supplement, and says so.
            subsidised = destination == Exit.Destination.SUBSIDISED
            kwargs.update(
                kind=Exit.Kind.GRADUATION,
                reason=Exit.Reason.GOALS_REACHED,
                destination=destination,
                graduation_assessment=assessment,
                stable_housing=True,
                rent_supplement=not subsidised,
                follow_up_care=True,
                readiness_note=words.READINESS_NOTE if subsidised else "",
                note=words.EXIT_NOTES["graduation"],
            )
        elif state == "planned":
            kwargs.update(
                kind=Exit.Kind.PLANNED,
                reason=rng.choice([Exit.Reason.LESS_SUPPORT, Exit.Reason.MOVED_AWAY]),
                destination=rng.choice([Exit.Destination.OWN_HOUSING, Exit.Destination.FAMILY]),
                next_provider="Stabilité résidentielle avec accompagnement — Est",
                note=words.EXIT_NOTES["planned"],
            )
        elif state == "moved_away":
            kwargs.update(
                kind=Exit.Kind.PLANNED,
                reason=Exit.Reason.MOVED_AWAY,
                destination=Exit.Destination.FAMILY,
                destination_detail="Chez sa sœur, à Sherbrooke",
                note=words.EXIT_NOTES["planned"],
            )
        elif state == "institution":
            kwargs.update(
                kind=Exit.Kind.UNPLANNED,
                reason=rng.choice([Exit.Reason.DETENTION, Exit.Reason.MORE_SUPPORT]),
                destination=rng.choice([Exit.Destination.DETENTION, Exit.Destination.INSTITUTION]),
                no_referrals_reason="Hébergé pour plusieurs mois; références à faire avant la sortie.",
                lost_contact_reason="Retrouvé·e en établissement : hébergé·e pour plusieurs mois.",
                note=words.EXIT_NOTES["unplanned"],
            )
        elif state == "deceased":
            kwargs.update(
                kind=Exit.Kind.UNPLANNED,
                reason=Exit.Reason.DECEASED,
                destination=Exit.Destination.DECEASED,
                no_referrals_reason="Décès.",
                lost_contact_reason="Décès confirmé par la famille.",
                procedure_given_on=day,
                note="Décès confirmé par la famille. L'équipe a participé aux funérailles.",
            )
        else:
            # Back on the street or out of touch: three housing-stability referrals, or why not.
            referrals = []
            shelter = not self.counts["shelter exits"]
            if rng.random() < 0.75 or shelter:
                for provider in rng.sample(self.providers["housing_stability"], k=3):
                    referral = self.call(
                        self.at(day),
                        referrals_services.referral_create,
                        actor=worker,
                        participant=episode.participant,
                        provider=provider,
                        need="Perte du logement: besoin d'un logement avec soutien rapidement.",
                        approved_on=day,
                    )
                    referrals.append(referral.pk)
            kwargs.update(
                kind=Exit.Kind.UNPLANNED,
                reason=Exit.Reason.PARTICIPANT_ENDED if state == "inactive" else Exit.Reason.NEEDS_NOT_MET,
                destination=Exit.Destination.SHELTER
                if shelter
                else rng.choice([Exit.Destination.STREET, Exit.Destination.UNKNOWN, Exit.Destination.FAMILY]),
                shelter_justification=words.SHELTER_JUSTIFICATION if shelter else "",
                referral_ids=referrals,
                no_referrals_reason=""
                if referrals
                else "La personne n'a pas pu être jointe malgré nos recherches.",
                # B12: when a re-engagement plan is still open, the exit says why all the same.
                lost_contact_reason=words.LOST_CONTACT_EXIT_REASON,
                note=words.EXIT_NOTES["unplanned"],
            )
            if shelter:
                self.counts["shelter exits"] += 1
        if kwargs["procedure_given_on"] is None:
            kwargs["procedure_given_on"] = day
        moment = self.at(day)
        self.call(moment, exits_services.exit_record, **kwargs)
        self.counts[f"exits {kwargs['kind']}"] += 1
