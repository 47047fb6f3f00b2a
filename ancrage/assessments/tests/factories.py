"""Small definition files for the engine's tests."""

from __future__ import annotations

import io

SMALL = """\
key: small
version: "1"
title: {fr: Petit, en: Small}
sections:
  - key: s1
    title: {fr: Section un, en: Section one}
    cap: 3
    questions:
      - key: q1
        type: yes_no
        required: true
        allow_refused: true
        text: {fr: Question un, en: Question one}
        points: {yes: 2, no: 0}
      - key: q2
        type: multiple_choice
        text: {fr: Question deux, en: Question two}
        options:
          - {key: a, points: 1, label: {fr: A, en: A}}
          - {key: b, points: 2, label: {fr: B, en: B}}
      - key: q3
        type: count
        max: 20
        allow_doesnt_know: true
        text: {fr: Question trois, en: Question three}
        points:
          - {min: 0, max: 4, points: 0}
          - {min: 5, points: 1}
  - key: s2
    title: {fr: Section deux, en: Section two}
    questions:
      - key: q4
        type: single_choice
        required: true
        when: {question: q1, equals: "yes"}
        text: {fr: Question quatre, en: Question four}
        options:
          - {key: low, points: 0, label: {fr: Bas, en: Low}}
          - {key: high, points: 3, label: {fr: Haut, en: High}}
      - key: q5
        type: scale_1_10
        scored: true
        text: {fr: Question cinq, en: Question five}
      - key: q6
        type: date
        text: {fr: Question six, en: Question six}
derived:
  - key: worst
    label: {fr: Pire, en: Worst}
    operation: max
    of: [q1, q4]
    in_total: true
bands:
  - {key: low, min: 0, max: 5, label: {fr: Bas, en: Low}}
  - {key: high, min: 6, max: 19, label: {fr: Haut, en: High}}
"""


def load_shipped_instruments():
    """The instruments shipped with Ancrage, loaded as `manage.py load_instruments` does."""
    from django.core.management import call_command

    call_command("load_instruments", verbosity=0, stdout=io.StringIO())


def start_administration(actor, participant, key: str = "acuity_screener"):
    from ancrage.assessments import services
    from ancrage.assessments.models import InstrumentVersion

    load_shipped_instruments()
    version = InstrumentVersion.objects.filter(instrument__key=key).order_by("-created_at").first()
    return services.administration_start(actor=actor, participant=participant, version=version)
