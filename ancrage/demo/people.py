"""The demo's people: who they are, their consents and documents, and who read their files."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile

from ancrage.accounts.models import User
from ancrage.core import audit
from ancrage.core.permissions import Category
from ancrage.demo.names import (
    ARAB_FEMALE,
    ARAB_LAST,
    ARAB_MALE,
    CONTACT_NOTES,
    FIRST_NATIONS_FEMALE,
    FIRST_NATIONS_LAST,
    FIRST_NATIONS_MALE,
    HAITIAN_FEMALE,
    HAITIAN_LAST,
    HAITIAN_MALE,
    INUIT_FEMALE,
    INUIT_LAST,
    INUIT_MALE,
    LOCATIONS,
    NICKNAMES,
    ORIGINS,
    PURPOSE_ACM,
    PURPOSE_CSR,
    PURPOSE_MAIN,
    PURPOSE_REDO,
    PURPOSE_SLC,
    PURPOSE_TRE,
    QC_COMPOUND_FEMALE,
    QC_COMPOUND_MALE,
    RELATIONSHIPS,
    REVOCATION_REASONS,
    STREET_NAMES,
    ascii_text,
    tiny_pdf,
)
from ancrage.demo.plan import ConsentPlan, PersonPlan, Window
from ancrage.demo.state import DemoState
from ancrage.people import services
from ancrage.people.models import (
    Consent,
    Document,
    Participant,
)


class PeopleMixin(DemoState):
    # -- people

    def _given_name(self, origin: str, female: bool) -> str:
        rng = self.rng
        if origin == "fr":
            if rng.random() < 0.12:
                return rng.choice(QC_COMPOUND_FEMALE if female else QC_COMPOUND_MALE)
            return self.fake["fr"].first_name_female() if female else self.fake["fr"].first_name_male()
        if origin == "en":
            return self.fake["en"].first_name_female() if female else self.fake["en"].first_name_male()
        lists = {
            "haitian": (HAITIAN_FEMALE, HAITIAN_MALE),
            "arab": (ARAB_FEMALE, ARAB_MALE),
            "first_nations": (FIRST_NATIONS_FEMALE, FIRST_NATIONS_MALE),
            "inuit": (INUIT_FEMALE, INUIT_MALE),
        }[origin]
        return rng.choice(lists[0] if female else lists[1])

    def _family_name(self, origin: str) -> str:
        if origin in {"fr", "en"}:
            return self.fake[origin].last_name()
        return self.rng.choice(
            {
                "haitian": HAITIAN_LAST,
                "arab": ARAB_LAST,
                "first_nations": FIRST_NATIONS_LAST,
                "inuit": INUIT_LAST,
            }[origin]
        )

    def _dob(self) -> tuple[datetime.date | None, str]:
        quality = self.weighted(
            [("exact", 70), ("approximate", 13), ("doesnt_know", 5), ("refused", 4), ("not_collected", 8)]
        )
        if quality not in {"exact", "approximate"}:
            return None, quality
        age = int(min(76, max(18, self.rng.gauss(45, 12))))
        dob = self.today - relativedelta(years=age) - datetime.timedelta(days=self.rng.randint(1, 364))
        if quality == "approximate":
            # Workers write 1 January or 1 July when only the year (or the season) is known.
            dob = datetime.date(dob.year, self.rng.choice([1, 7]), 1)
        return dob, quality

    def person(self, org: str, created_ago: int) -> PersonPlan:
        rng = self.rng
        origin = self.weighted(ORIGINS)
        gender = self.weighted(
            [
                ("man", 64),
                ("woman", 30),
                ("non_binary", 2),
                ("two_spirit", 1),
                ("not_collected", 2),
                ("refused", 1),
            ]
        )
        if origin == "first_nations" and rng.random() < 0.1:
            gender = "two_spirit"
        elif gender == "two_spirit" and origin != "first_nations":
            gender = "non_binary"
        female = gender == "woman" or (gender not in {"man", "woman"} and rng.random() < 0.5)
        first = self._given_name(origin, female)
        last = self._family_name(origin)
        dob, dob_quality = self._dob()
        plan = PersonPlan(
            org=org,
            origin=origin,
            first=first,
            last=last,
            preferred=NICKNAMES[first] if first in NICKNAMES and rng.random() < 0.4 else "",
            gender=gender,
            dob=dob,
            dob_quality=dob_quality,
            created_ago=created_ago,
        )
        plan.indigenous = self._indigenous(origin)
        plan.language, plan.languages_spoken = self._languages(origin)
        if rng.random() < 0.45:
            plan.phone = f"{rng.choice(['514', '438'])} 555-01{rng.randint(0, 99):02d}"
        if rng.random() < 0.08:
            plan.email = f"{ascii_text(first).lower().replace(' ', '')}{rng.randint(10, 99)}@example.com"
        if rng.random() < 0.95:
            pool = LOCATIONS[org] if rng.random() < 0.75 else LOCATIONS["common"]
            plan.location = rng.choice(pool)
        if rng.random() < 0.20:
            plan.aliases.append(rng.choice(STREET_NAMES))
            if rng.random() < 0.25:
                # A former or other legal name, e.g. a maiden name.
                plan.aliases.append(f"{first} {self._family_name(origin)}")
        if rng.random() < 0.35:
            plan.identifiers.append(
                ("hifis", self._unique_identifier("hifis", str(rng.randint(100000, 999999))), "")
            )
        if rng.random() < 0.10:
            value = self._unique_identifier(
                "shelter", f"R-{rng.randint(2019, 2026)}-{rng.randint(1, 9999):04d}"
            )
            plan.identifiers.append(("shelter", value, "Refuge du Plateau"))
        if rng.random() < 0.5:
            plan.contacts = rng.choice([1, 1, 1, 2])
        if rng.random() < 0.04:
            plan.household = rng.choice([1, 1, 2])
        plan.service_agreement = rng.random() < 0.35
        return plan

    def _unique_identifier(self, kind: str, value: str) -> str:
        while (kind, value) in self._used_identifiers:
            value = value + str(self.rng.randint(0, 9))
        self._used_identifiers.add((kind, value))
        return value

    def _indigenous(self, origin: str) -> str:
        if origin == "first_nations":
            return self.weighted([("first_nations", 90), ("doesnt_know", 4), ("refused", 6)])
        if origin == "inuit":
            return self.weighted([("inuit", 95), ("refused", 5)])
        return self.weighted(
            [
                ("first_nations", 2),
                ("metis", 2),
                ("not_indigenous", 50),
                ("not_collected", 38),
                ("doesnt_know", 4),
                ("refused", 4),
            ]
        )

    def _languages(self, origin: str) -> tuple[str, str]:
        rng = self.rng
        if origin == "fr":
            return "fr-ca", rng.choice(["français", "français", "français, anglais"])
        if origin == "en":
            return "en", rng.choice(["anglais", "anglais", "anglais, français"])
        if origin == "haitian":
            return "fr-ca", rng.choice(["créole haïtien, français", "français, créole haïtien, anglais"])
        if origin == "arab":
            return "fr-ca", rng.choice(["arabe, français", "arabe, français, anglais"])
        if origin == "first_nations":
            spoken = rng.choice(
                ["français", "innu-aimun, français", "atikamekw, français", "cri, anglais", "anglais"]
            )
            return ("en" if spoken.endswith("anglais") else "fr-ca"), spoken
        return "en", "inuktitut, anglais"

    # -- consent plans

    def _main_share(self, start: datetime.date, **kwargs) -> ConsentPlan:
        roll = self.rng.random()
        categories: list[str]
        if roll < 0.85:
            orgs, purpose = ["SLC", "ACM"], PURPOSE_MAIN
            categories = [Category.IDENTITY, Category.HOUSING, Category.COORDINATED_ACCESS]
            if self.rng.random() < 0.4:
                categories.append(Category.RISK)
        elif roll < 0.95:
            orgs, purpose = ["ACM"], PURPOSE_ACM
            categories = [Category.IDENTITY, Category.COORDINATED_ACCESS]
            if self.rng.random() < 0.5:
                categories.append(Category.HOUSING)
        else:
            orgs, purpose = ["SLC"], PURPOSE_SLC
            categories = [Category.IDENTITY, Category.HOUSING]
        return ConsentPlan(
            orgs=orgs,
            categories=categories,
            purpose=purpose,
            starts_on=start,
            with_document=self.rng.random() < 0.45,
            **kwargs,
        )

    def _partner_share(self, partner: str, start: datetime.date, **kwargs) -> ConsentPlan:
        rng = self.rng
        categories: list[str]
        if partner == "CSR":
            categories = [Category.IDENTITY, Category.HEALTH]
            if rng.random() < 0.5:
                categories.append(Category.RISK)
            if rng.random() < 0.2:
                categories.append(Category.CASE_NOTES)
            purpose = PURPOSE_CSR
        else:
            categories = [Category.IDENTITY]
            if rng.random() < 0.5:
                categories.append(Category.CASE_NOTES)
            if rng.random() < 0.3:
                categories.append(Category.HOUSING)
            purpose = PURPOSE_TRE
        return ConsentPlan(orgs=[partner], categories=categories, purpose=purpose, starts_on=start, **kwargs)

    def plan_consents(self, people: list[PersonPlan]) -> None:
        rng = self.rng
        today = self.today
        year = relativedelta(months=12)
        pool = [p for p in people if not p.is_duplicate_second and p.scenario == "current"]
        rng.shuffle(pool)

        def take(count: int, condition) -> list[PersonPlan]:
            chosen = [p for p in pool if condition(p)][:count]
            for p in chosen:
                pool.remove(p)
            return chosen

        # Every organisation's home page has consents to renew this month.
        for org in sorted({p.org for p in pool}):
            for p in take(4, lambda p, org=org: p.org == org and p.created_ago >= 370):
                p.scenario = "expiring"
        for p in take(12, lambda p: 380 <= p.created_ago <= 530):
            p.scenario = "expired"
        for p in take(8, lambda p: 400 <= p.created_ago <= 680):
            p.scenario = "renewed"
        for p in take(4, lambda p: p.created_ago >= 30):
            p.scenario = "revoked"

        reasons = iter(REVOCATION_REASONS)
        for p in people:
            created = today - datetime.timedelta(days=p.created_ago)
            if p.scenario == "expiring":
                expires = today + datetime.timedelta(days=rng.randint(3, 29))
                p.consents.append(self._main_share(expires - year, expires_on=expires))
            elif p.scenario == "expired":
                p.consents.append(self._main_share(created, expires_on=created + year))
            elif p.scenario == "renewed":
                old = self._main_share(created, expires_on=created + year)
                renewal = created + year - datetime.timedelta(days=rng.randint(0, 14))
                p.consents += [old, self._main_share(renewal)]
            else:
                start = (
                    created if p.created_ago <= 330 else today - datetime.timedelta(days=rng.randint(20, 330))
                )
                p.consents.append(self._main_share(start))
            if p.scenario == "revoked":
                main = p.consents[-1]
                main.revoke_on = self.day_between(main.starts_on + datetime.timedelta(days=5), today)
                main.reason = next(reasons)
                if rng.random() < 0.5:
                    p.consents.append(
                        ConsentPlan(
                            orgs=["ACM"],
                            categories=[Category.IDENTITY, Category.COORDINATED_ACCESS],
                            purpose=PURPOSE_REDO,
                            starts_on=main.revoke_on,
                        )
                    )

        # Partner agencies: the health centre's team and the employment service see some files, not all.
        current = [p for p in people if p.scenario in {"current", "renewed", "expiring"}]
        for p in current:
            main = p.consents[-1]
            for partner, share in (("CSR", 0.22), ("TRE", 0.12)):
                if rng.random() < share:
                    start = self.day_between(main.starts_on, today - datetime.timedelta(days=1))
                    p.consents.append(self._partner_share(partner, start))
                    p.partners.append(partner)
        # A few partner consents were revoked; a few are signed ahead of a transfer and not yet in force.
        partnered = [p for p in current if p.partners]
        rng.shuffle(partnered)
        for p in partnered[:4]:
            consent = p.consents[-1]
            consent.revoke_on = self.day_between(consent.starts_on + datetime.timedelta(days=1), today)
            consent.reason = next(reasons)
        for p in [q for q in current if not q.partners][:3]:
            start = today + datetime.timedelta(days=rng.randint(3, 21))
            p.consents.append(self._partner_share(rng.choice(["CSR", "TRE"]), start))

    # -- writing through the services

    def create_file(self, plan: PersonPlan, actor: User) -> tuple[Participant, list[Window]]:
        rng = self.rng
        created_day = self.today - datetime.timedelta(days=plan.created_ago)
        created_at = self.at(created_day)
        org = self.orgs[plan.org]
        colleagues = [u for u in self.case_managers[plan.org] if u != actor]
        participant = self.run(
            created_at,
            services.participant_create,
            actor=actor,
            organisation=org,
            legal_first_name=plan.first,
            legal_last_name=plan.last,
            preferred_name=plan.preferred,
            date_of_birth=plan.dob,
            dob_quality=plan.dob_quality,
            gender=plan.gender,
            indigenous_identity=plan.indigenous,
            communication_language=plan.language,
            languages_spoken=plan.languages_spoken,
            phone=plan.phone,
            email=plan.email,
            current_location=plan.location,
        )
        for name in plan.aliases:
            self.run(
                self.at(self.day_between(created_day, self.today)),
                services.alias_add,
                actor=actor,
                participant=participant,
                name=name,
            )
        for kind, value, issuer in plan.identifiers:
            self.run(
                self.later(created_at, rng.randint(5, 40)),
                services.identifier_add,
                actor=actor,
                participant=participant,
                kind=kind,
                value=value,
                issuer=issuer,
            )
        for index in range(plan.contacts):
            origin = plan.origin if plan.origin in {"fr", "en"} else "fr"
            self.run(
                self.at(self.day_between(created_day, created_day + datetime.timedelta(days=60))),
                services.support_contact_add,
                actor=actor,
                participant=participant,
                name=self.fake[origin].name(),
                relationship=rng.choice(RELATIONSHIPS),
                phone=f"{rng.choice(['514', '450', '438'])} 555-01{rng.randint(0, 99):02d}",
                is_emergency_contact=index == 0 and rng.random() < 0.7,
                is_natural_support=rng.random() < 0.85,
                notes=rng.choice(CONTACT_NOTES),
            )
        for _index in range(plan.household):
            relationship = rng.choice(["partner", "child", "child", "other_family"])
            years = rng.randint(2, 17) if relationship == "child" else rng.randint(20, 60)
            self.run(
                self.later(created_at, rng.randint(10, 50)),
                services.household_member_add,
                actor=actor,
                participant=participant,
                first_name=self._given_name(plan.origin, rng.random() < 0.5),
                relationship=relationship,
                date_of_birth=self.today - relativedelta(years=years, days=rng.randint(0, 360)),
            )
        if plan.service_agreement:
            self.upload(
                participant,
                actor,
                "service_agreement",
                created_day,
                created_day + relativedelta(months=12),
            )
        windows = []
        for cp in plan.consents:
            windows.append(self.record_consent(participant, actor, colleagues, cp))
        return participant, [w for w in windows if w is not None]

    def record_consent(self, participant, actor, colleagues, cp: ConsentPlan) -> Window | None:
        rng = self.rng
        verbal = rng.random() < 0.35
        witness = rng.choice(colleagues) if verbal else None
        recorded_day = min(cp.starts_on, self.today)
        if cp.starts_on > self.today:
            recorded_day = self.today - datetime.timedelta(days=rng.randint(0, 2))
        consent = self.run(
            self.at(recorded_day),
            services.consent_record,
            actor=actor,
            participant=participant,
            organisations=[self.orgs[o] for o in cp.orgs],
            categories=list(cp.categories),
            purpose=cp.purpose,
            starts_on=cp.starts_on,
            expires_on=cp.expires_on,
            method=Consent.Method.VERBAL if verbal else Consent.Method.WRITTEN,
            witness_name=f"{witness.first_name} {witness.last_name}" if witness else "",
        )
        if cp.with_document and not verbal and cp.starts_on <= self.today:
            self.upload(participant, actor, "release", cp.starts_on, consent.expires_on, consent=consent)
        end = min(consent.expires_on, self.today)
        if cp.revoke_on:
            consent = self.run(
                self.at(cp.revoke_on), services.consent_revoke, actor=actor, consent=consent, reason=cp.reason
            )
            end = min(end, cp.revoke_on)
        if cp.starts_on > self.today or end < cp.starts_on:
            return None
        return Window(
            orgs=frozenset(cp.orgs), categories=frozenset(cp.categories), start=cp.starts_on, end=end
        )

    def upload(self, participant, actor, kind: str, signed_on, resign_on, consent=None) -> Document:
        titles = {
            "release": ("Autorisation de communiquer des renseignements", "autorisation-communication.pdf"),
            "service_agreement": ("Entente de service Logement d'abord", "entente-de-service.pdf"),
        }
        title, filename = titles[kind]
        if kind not in self.pdf_cache:
            self.pdf_cache[kind] = tiny_pdf(f"{title} - document signe (demo Ancrage)")
        upload = SimpleUploadedFile(filename, self.pdf_cache[kind], content_type="application/pdf")
        return self.run(
            self.at(signed_on),
            services.document_upload,
            actor=actor,
            participant=participant,
            kind=kind,
            upload=upload,
            signed_on=signed_on,
            resign_on=resign_on,
            consent=consent,
        )

    # -- reads, for "who saw my file"

    def record_reads(self, participant: Participant, plan: PersonPlan, actor: User, windows: list[Window]):
        rng = self.rng
        created_day = self.today - datetime.timedelta(days=plan.created_ago)
        everything = frozenset(Category.values)
        readers: list[tuple[User, datetime.date, datetime.date, frozenset[str]]] = []
        visits = 2 + min(10, plan.created_ago // 45) + rng.randint(0, 3)
        readers += [(actor, created_day, self.today, everything)] * visits
        home_staff = [u for u in self.staff_by_org[plan.org] if u != actor and u.username != "coordination"]
        for user in rng.sample(home_staff, k=min(len(home_staff), rng.randint(0, 3))):
            readers.append((user, created_day, self.today, everything))
        if plan.org == "MHS" and rng.random() < 0.3:
            readers.append((self.users["coordination"], created_day, self.today, everything))
        by_org = {
            "SLC": ["logement1", "logement2", "loyer", "donnees"],
            "ACM": ["acces"],
            "CSR": ["partenaire.sante"],
            "TRE": ["partenaire.emploi"],
        }
        for window in windows:
            for org in sorted(window.orgs):
                for username in by_org.get(org, []):
                    if username in {"loyer", "donnees"} and rng.random() < 0.6:
                        continue
                    for _ in range(rng.randint(1, 3)):
                        readers.append((self.users[username], window.start, window.end, window.categories))
        # Written in one statement, each entry dated at its moment, as `audit.record_read` would one by one.
        reads: list[tuple[datetime.datetime, User, Participant, str, Document | None, dict | None]] = []
        for user, start, end, consented in readers:
            # What the reader's roles allow, narrowed by the consent they read through.
            allowed = set().union(*user.categories_by_organisation().values())
            categories = sorted(allowed & consented)
            moment = self.at(self.day_between(start, end))
            reads.append(
                (moment, user, participant, "people.participant.viewed", None, {"categories": categories})
            )
        documents = list(participant.documents.all())
        if documents and rng.random() < 0.5:
            document = rng.choice(documents)
            moment = self.at(self.day_between(document.signed_on, self.today))
            reads.append((moment, actor, participant, "people.document.viewed", document, None))
        if rng.random() < 0.05:
            moment = self.at(self.day_between(created_day, self.today))
            reads.append((moment, actor, participant, "people.audit.viewed", None, None))
        return audit.read_entries_write(reads)
