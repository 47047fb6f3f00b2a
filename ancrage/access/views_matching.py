"""PLACEHOLDER: being written; every view below must be replaced."""


def opening_list(request, *args, **kwargs):
    raise NotImplementedError


def opening_create(request, *args, **kwargs):
    raise NotImplementedError


def matching_run(request, *args, **kwargs):
    raise NotImplementedError


def opening_detail(request, *args, **kwargs):
    raise NotImplementedError


def match_list(request, *args, **kwargs):
    raise NotImplementedError


def match_detail(request, *args, **kwargs):
    raise NotImplementedError


def match_step(request, *args, **kwargs):
    raise NotImplementedError


def eligibility_for_person(request, *args, **kwargs):
    raise NotImplementedError
