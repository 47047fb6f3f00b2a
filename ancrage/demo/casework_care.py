"""Casework care: enrollments, recovery plans and reviews, reassignments, assessments, referrals out."""

from __future__ import annotations

import datetime
import random
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from ancrage.accounts.models import User
from ancrage.assessments import services as assessment_services
from ancrage.assessments.models import Administration
from ancrage.casework.calendar import add_business_days
from ancrage.casework.caseload import services as caseload_services
from ancrage.casework.models import (
    Enrollment,
    Goal,
    ServiceProvider,
    ServiceReferral,
    Step,
)
from ancrage.casework.plans import services as plans_services
from ancrage.casework.referrals import selectors as referrals_selectors
from ancrage.casework.referrals import services as referrals_services
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.demo import content as words
from ancrage.demo import goals as goal_words
from ancrage.demo.names import DAY
from ancrage.demo.plan import Episode
from ancrage.demo.state import CaseworkState
from ancrage.people.models import Consent


class CareMixin(CaseworkState):
    def consent_to_serve(self, episode: Episode, moment: datetime.datetime) -> None:
        """Before another organisation enrolls the person in its program, their consent that it receive what
        case management needs (identity, case notes, health, risk), recorded by their own organisation. It
        lasts the usual time, and at least until the demo's day (what is recorded stays readable)."""
        from ancrage.people.services import consent_record, default_expiry

        home = episode.participant.organisation.short_name
        actor = (
            self.leads.get(home)
            or (episode.match.proposed_by if episode.match else None)
            or self.leads[episode.org]
        )
        expires = max(default_expiry(episode.start), self.today + datetime.timedelta(days=60))
        self.call(
            moment,
            consent_record,
            actor=actor,
            participant=episode.participant,
            organisations=[episode.program.organisation],
            categories=[Category.IDENTITY, Category.CASE_NOTES, Category.HEALTH, Category.RISK],
            purpose=words.SERVING_CONSENT_PURPOSE,
            starts_on=episode.start,
            expires_on=expires,
            method=Consent.Method.WRITTEN,
        )
        self.counts["consents to serve"] += 1

    def enroll(self, episode: Episode) -> None:
        rng = self.rng
        lead = self.leads[episode.org]
        worker = episode.workers[0][1]
        moment = self.at(episode.start)
        if episode.program.organisation_id != episode.participant.organisation_id:
            self.consent_to_serve(episode, moment)
        kwargs: dict[str, Any] = {
            "actor": lead,
            "participant": episode.participant,
            "program": episode.program,
            "primary_worker": worker,
            "team": episode.team,
            "enrolled_on": episode.start,
            "match": episode.match,
        }
        enrollment = self.with_ratio_reason(moment, caseload_services.enrollment_create, kwargs)
        episode.enrollment = enrollment
        self.counts["enrollments"] += 1
        # The recovery plan: started at enrollment, written with the person over the first visits.
        if episode.story == "no_plan":
            return  # not started yet: overdue past its 10 business days
        late = (self.today - episode.start).days
        self.write_plan(
            episode, incomplete=episode.story == "plan_late" or (14 <= late < 30 and rng.random() < 0.5)
        )

    def with_ratio_reason(self, moment: datetime.datetime, service, kwargs: dict[str, Any]):
        """Enroll or assign at `moment`; over the caseload ratio, the lead gives the reason the service asks for."""
        try:
            with clock.at(moment):
                return service(**kwargs)
        except ValidationError as exc:
            if "over_ratio_reason" not in getattr(exc, "message_dict", {}):
                raise
        kwargs["over_ratio_reason"] = self.rng.choice(words.OVER_RATIO_REASONS)
        return self.call(moment, service, **kwargs)

    def write_plan(self, episode: Episode, *, incomplete: bool) -> None:
        rng = self.rng
        enrollment = episode.enrollment
        assert enrollment is not None
        worker = episode.workers[0][1]
        en = 1 if episode.english else 0
        started = self.at(episode.start + DAY * rng.randint(0, 3))
        plan = self.call(started, plans_services.plan_create, actor=worker, enrollment=enrollment)
        written_on = min(
            self.today,
            add_business_days(episode.start, rng.choice([3, 5, 6, 8, 9, 9, 10, 12, 14])),
        )
        moment = self.at(written_on)
        fields = {
            "strengths": rng.choice(goal_words.STRENGTHS)[en],
            "interests": rng.choice(goal_words.INTERESTS)[en],
            "aspirations": rng.choice(goal_words.ASPIRATIONS)[en],
            "local_resources": rng.choice(goal_words.RESOURCES)[en],
        }
        if not incomplete:
            fields["crisis_strategies"] = rng.choice(goal_words.CRISIS)[en]
            fields["after_hours_protocol"] = rng.choice(goal_words.AFTER_HOURS)[en]
        plan = self.call(
            moment, plans_services.plan_update, actor=worker, plan=plan, revision=plan.revision, **fields
        )
        domains = list(goal_words.GOALS)
        if episode.participant.indigenous_identity in {"first_nations", "inuit", "metis"}:
            chosen = ["culture", *rng.sample([d for d in domains if d != "culture"], k=rng.randint(1, 3))]
        else:
            chosen = rng.sample([d for d in domains if d != "culture"], k=rng.randint(2, 4))
        # The goals and their steps, written at one moment (`goals_add_many`: what `goal_add` and `step_add`
        # write one by one); the steps done later are known once written.
        new_goals: list[plans_services.NewGoal] = []
        done_later: list[tuple[int, int, datetime.date]] = []
        for domain in chosen:
            text_fr, text_en, steps = rng.choice(goal_words.GOALS[domain])
            review = written_on + datetime.timedelta(days=rng.choice([30, 60, 90]))
            stage = self.weighted(goal_words.STAGES)
            new_steps: list[plans_services.NewStep] = []
            for step_fr, step_en, who in [] if incomplete else steps[: rng.randint(1, len(steps))]:
                target = written_on + datetime.timedelta(days=rng.randint(7, 75))
                new_steps.append(
                    plans_services.NewStep(
                        description=step_en if en else step_fr,
                        who=who,
                        target_on=target,
                        review_on=target + datetime.timedelta(days=14),
                    )
                )
                done = target - datetime.timedelta(days=rng.randint(-10, 5))
                if (
                    done < self.today - 3 * DAY
                    and rng.random() < 0.6
                    and (episode.end is None or done < episode.end)
                ):
                    done_later.append((len(new_goals), len(new_steps) - 1, done))
            new_goals.append(
                plans_services.NewGoal(
                    words=text_en if en else text_fr,
                    stage=stage,
                    starts_on=written_on,
                    domain=domain,
                    review_on=review,
                    steps=tuple(new_steps),
                )
            )
        made = self.call(moment, plans_services.goals_add_many, actor=worker, plan=plan, goals=new_goals)
        for g, s, done in done_later:
            self.schedule(done, self.step_done, episode, made[g][1][s], done)
        goals = [goal for goal, _steps in made]
        plan.refresh_from_db()
        episode.plan = plan
        episode.goals = goals
        # Progress on goals over time; the supervisor's yearly review.
        end = episode.end or self.today
        for goal in goals:
            if rng.random() < 0.45 and (end - written_on).days > 100:
                day = self.day(written_on + 60 * DAY, end - 5 * DAY)
                self.schedule(day, self.goal_progress, episode, goal, day)
        review = episode.start + relativedelta(months=11, days=rng.randint(0, 40))
        while review < end and review < self.today:
            if rng.random() < 0.8 and episode.story != "no_review":
                self.schedule(review, self.review, episode, review)
            review = review + relativedelta(months=12)

    def step_done(self, episode: Episode, step: Step, day: datetime.date) -> None:
        if not self.still_active(episode):
            return
        self.call(
            self.at(day), plans_services.step_update, actor=episode.worker_on(day), step=step, done_on=day
        )

    def goal_progress(self, episode: Episode, goal: Goal, day: datetime.date) -> None:
        if not self.still_active(episode):
            return
        rng = self.rng
        order = [s for s, _w in goal_words.STAGES]
        stage = order[min(len(order) - 1, order.index(goal.stage) + 1)] if goal.stage in order else "action"
        status = Goal.Status.ACHIEVED if rng.random() < 0.35 else Goal.Status.ACTIVE
        if rng.random() < 0.08:
            status = Goal.Status.SET_ASIDE
        self.call(
            self.at(day),
            plans_services.goal_update,
            actor=episode.worker_on(day),
            goal=goal,
            stage=stage,
            status=status,
        )
        goal.stage = stage

    def review(self, episode: Episode, day: datetime.date) -> None:
        if not self.still_active(episode) or episode.plan is None:
            return
        self.call(
            self.at(day),
            plans_services.plan_review,
            actor=self.leads[episode.org],
            plan=episode.plan,
            comment=self.rng.choice(goal_words.REVIEW_COMMENTS),
            reviewed_on=day,
        )

    def still_active(self, episode: Episode) -> bool:
        enrollment = episode.enrollment
        if enrollment is None:
            return False
        enrollment.refresh_from_db(fields=["status"])
        return enrollment.status == Enrollment.Status.ACTIVE

    def reassign(self, episode: Episode, worker: User) -> None:
        if not self.still_active(episode):
            return
        day = next(since for since, w in episode.workers if w == worker)
        moment = self.at(day)
        kwargs: dict[str, Any] = {
            "actor": self.leads[episode.org],
            "enrollment": episode.enrollment,
            "worker": worker,
            "reason": self.rng.choice(words.REASSIGN_REASONS),
            "on": day,
        }
        self.with_ratio_reason(moment, caseload_services.enrollment_assign, kwargs)
        self.counts["reassignments"] += 1

    def tenancy_risk(self, episode: Episode, at_risk: bool, day: datetime.date) -> None:
        if not self.still_active(episode):
            return
        reason = (
            "Plaintes de voisins et retard de loyer: on augmente les visites."
            if at_risk
            else "Entente avec le propriétaire respectée depuis deux mois."
        )
        self.call(
            self.at(day),
            caseload_services.enrollment_set_tenancy_risk,
            actor=episode.worker_on(day),
            enrollment=episode.enrollment,
            at_risk=at_risk,
            since=day,
            reason=reason,
        )

    # assessments (B4)

    def plan_assessments(self, episode: Episode) -> None:
        """The program's schedule, mostly kept: baseline within ten days, every three months, at exit; a few
        declined or postponed with the reason, a few late or still due."""
        rng = self.rng
        end = episode.end or self.today
        baseline = episode.start + datetime.timedelta(days=rng.choice([2, 4, 6, 7, 8, 9, 12, 16]))
        if baseline < end and baseline < self.today and episode.story not in {"new", "no_plan"}:
            self.schedule(baseline, self.administer, episode, "baseline_functioning", baseline, "")
            self.schedule(baseline, self.administer, episode, "progress_scale", baseline, "")
        follow = baseline
        while True:
            follow = follow + relativedelta(months=3) + datetime.timedelta(days=rng.randint(-10, 20))
            if follow >= end or follow >= self.today - DAY:
                break
            # Some follow-ups are missed altogether: they show as overdue when they are the latest.
            if follow > self.today - 40 * DAY and rng.random() < 0.25:
                break
            close = self.weighted([("", 88), ("declined", 6), ("postponed", 6)])
            self.schedule(follow, self.administer, episode, "progress_scale", follow, close)
            if close == "postponed":
                later = follow + datetime.timedelta(days=rng.randint(7, 20))
                if later < end and later < self.today:
                    self.schedule(later, self.administer, episode, "progress_scale", later, "")
        if baseline < end < self.today and rng.random() < 0.8:
            self.schedule(
                end - DAY * rng.randint(1, 6), self.administer, episode, "progress_scale", end - 3 * DAY, ""
            )

    def administer(self, episode: Episode, key: str, day: datetime.date, close: str) -> Administration | None:
        if not self.still_active(episode):
            return None
        rng = self.rng
        worker = episode.worker_on(day)
        started = self.at(day)
        administration = self.call(
            started,
            assessment_services.administration_start,
            actor=worker,
            participant=episode.participant,
            version=self.b.versions[key],
        )
        finished = min(self.now, started + datetime.timedelta(minutes=rng.randint(15, 40)))
        progress = min(1.0, max(0.0, (day - episode.start).days / 540))
        if close == "declined":
            self.call(
                finished,
                assessment_services.administration_decline,
                actor=worker,
                administration=administration,
                reason=rng.choice(
                    [
                        "La personne ne souhaite pas répondre ce mois-ci.",
                        "Préfère parler d'autre chose aujourd'hui; on respecte son choix.",
                    ]
                ),
            )
        elif close == "postponed":
            self.call(
                finished,
                assessment_services.administration_postpone,
                actor=worker,
                administration=administration,
                reason=rng.choice(
                    [
                        "Rencontre écourtée: rendez-vous médical imprévu.",
                        "Trop fatigué aujourd'hui; on reprend la semaine prochaine.",
                    ]
                ),
            )
        else:
            answers = (
                self.baseline_answers(episode, progress)
                if key == "baseline_functioning"
                else self.progress_answers(episode, progress)
            )
            self.call(
                finished,
                assessment_services.administration_save_answers,
                actor=worker,
                administration=administration,
                answers=answers,
                complete=True,
            )
        self.counts["assessments"] += 1
        return administration

    def baseline_answers(self, episode: Episode, progress: float) -> dict[str, Any]:
        concern = max(0.05, min(0.95, self.rng.uniform(0.3, 0.8) - progress * 0.5))
        levels = ("none", "some", "serious")
        answers: dict[str, Any] = {
            key: self.weighted(list(zip(levels, (2 - concern * 1.5, 1, concern * 1.5), strict=True)))
            for key in (
                "mood_low", "mood_anxiety", "mood_sleep", "behaviour_agitation", "behaviour_withdrawal",
                "behaviour_neighbours", "mh_perception", "su_impact", "df_hygiene", "df_meals",
                "df_home_upkeep", "df_money",
            )
        }  # fmt: skip
        answers["mh_self_harm"] = "yes" if self.rng.random() < concern * 0.2 else "no"
        answers["mh_follow_up"] = "yes" if self.rng.random() < 0.6 else "no"
        return answers

    def progress_answers(self, episode: Episode, progress: float) -> dict[str, Any]:
        rng = random.Random(episode.key * 97 + self.b.seed)  # the person's own starting point, stable
        base = rng.uniform(2.5, 5.5)
        gain = rng.uniform(-0.5, 4.0)
        level = base + gain * progress
        scale: dict[str, Any] = {}
        for key in (
            "home", "money", "self_care", "physical_health", "wellbeing", "substance_use",
            "relationships", "activities", "safety_rights", "hope",
        ):  # fmt: skip
            offset = rng.uniform(-1.5, 1.5) + (1.5 * progress if key == "home" else 0)
            scale[key] = min(10, max(1, round(self.rng.gauss(level + offset, 0.8))))
        scale["priority_domain"] = min(scale, key=lambda k: scale[k])
        return scale

    # referrals out (B7)

    def plan_referrals(self, episode: Episode) -> None:
        rng = self.rng
        end = episode.end or self.today
        length = (end - episode.start).days
        for _n in range(rng.choice([0, 1, 1, 2, 2, 3]) if length > 30 else 0):
            day = self.day(episode.start + 10 * DAY, end - 5 * DAY)
            if day >= self.today - DAY:
                continue
            kind = self.weighted(
                [
                    ("health", 14), ("mental_health", 12), ("substance_use", 10), ("income", 12),
                    ("employment", 10), ("legal", 8), ("food", 8), ("community", 8), ("education", 4),
                    ("housing_stability", 6), ("culture", 3), ("other", 5),
                ]
            )  # fmt: skip
            if kind == "culture" and episode.participant.indigenous_identity not in {
                "first_nations",
                "inuit",
                "metis",
            }:
                kind = "community"
            self.schedule(day, self.referral, episode, kind, day, None)

    def plan_partner_referrals(self) -> None:
        """Referrals to the partner agencies that share the participant's information: only on a day the
        participant's consent naming the agency is in force (the service refuses a share no consent allows)."""
        rng = self.rng
        partners = {
            provider.organisation_id: provider
            for providers in self.providers.values()
            for provider in providers
            if provider.organisation_id is not None
        }
        for episode in self.episodes:
            end = min(episode.end or self.today, self.today - 2 * DAY)
            consents = Consent.objects.filter(
                participant=episode.participant, organisations__in=list(partners)
            ).prefetch_related("organisations")
            for consent in consents:
                last = end if consent.expires_on is None else min(end, consent.expires_on - DAY)
                if consent.revoked_at is not None:
                    last = min(last, clock.localdate(consent.revoked_at) - DAY)
                first = max(
                    episode.start + 10 * DAY, consent.starts_on, clock.localdate(consent.recorded_at) + DAY
                )
                if first > last or rng.random() < 0.4:
                    continue
                day = self.day(first, last)
                provider = next(partners[o.pk] for o in consent.organisations.all() if o.pk in partners)
                self.schedule(day, self.referral, episode, provider.kind, day, None, provider)

    def referral_outcome(self, day: datetime.date) -> list[str]:
        """The steps a referral went through, by how long ago it was made."""
        age = (self.today - day).days
        if age < 10:
            return self.weighted(
                [
                    ([], 3),
                    (["approved"], 3),
                    (["approved", "sent"], 3),
                    (["approved", "sent", "appointment_set"], 3),
                ]
            )
        return self.weighted(
            [
                (["approved", "sent", "appointment_set", "accompanied", "linked"], 22),
                (["approved", "sent", "appointment_set", "linked"], 14),
                (["approved", "sent", "appointment_set", "accompanied"], 8),
                (["approved", "sent", "appointment_set", "no_show", "appointment_set", "linked"], 8),
                (["approved", "sent", "appointment_set", "no_show"], 6),
                (["approved", "sent"], 6),
                (["approved"], 4),
                ([], 4),
                (["declined"], 10),
                (["approved", "sent", "declined"], 6),
            ]
        )

    def referral(
        self,
        episode: Episode,
        kind: str,
        day: datetime.date,
        steps: list[str] | None,
        provider: ServiceProvider | None = None,
    ) -> ServiceReferral | None:
        if not self.still_active(episode):
            return None
        rng = self.rng
        provider = provider or rng.choice(self.providers[kind])
        worker = episode.worker_on(day)
        steps = self.referral_outcome(day) if steps is None else steps
        shared: list[str] = []
        moment = self.at(day)
        if provider.organisation is not None:
            # What the consents in force that day let the team share, not those of today.
            with clock.at(moment):
                shared = referrals_selectors.shareable_categories(episode.participant, provider.organisation)
        approved = day if steps and steps[0] == "approved" else None
        referral = self.call(
            moment,
            referrals_services.referral_create,
            actor=worker,
            participant=episode.participant,
            provider=provider,
            need=words.NEEDS[kind],
            approved_on=approved,
            shared_categories=shared if approved else (),
        )
        on = day
        for status in steps[1:] if approved else steps:
            on = on + datetime.timedelta(days=rng.randint(1, 12))
            if on > self.today:
                break
            appointment = None
            if status == "appointment_set":
                when = on + datetime.timedelta(days=rng.randint(3, 14))
                appointment = datetime.datetime.combine(
                    when,
                    datetime.time(rng.choice([9, 10, 11, 13, 14, 15]), rng.choice([0, 30])),
                    tzinfo=self.tz,
                )
            step_moment = self.at(on)
            if clock.localdate(step_moment) < on:
                break  # today's working day has not begun at the demo's moment: not happened yet
            self.call(
                step_moment,
                referrals_services.referral_step,
                actor=worker,
                referral=referral,
                status=status,
                on=on,
                note=words.REFERRAL_NOTES.get(status, ""),
                appointment_at=appointment,
            )
            if appointment is not None:
                on = max(on, min(appointment.date(), self.today))
        self.counts["referrals"] += 1
        return referral

    # risk (B8), incidents (B9)
