"""PLACEHOLDER: being written; every view below must be replaced."""


def policy_list(request, *args, **kwargs):
    raise NotImplementedError


def policy_create(request, *args, **kwargs):
    raise NotImplementedError


def policy_detail(request, *args, **kwargs):
    raise NotImplementedError


def policy_activate(request, *args, **kwargs):
    raise NotImplementedError


def profile_edit(request, *args, **kwargs):
    raise NotImplementedError


def rank_explanation(request, *args, **kwargs):
    raise NotImplementedError
