"""PLACEHOLDER: being written."""


def unit_list(request):
    raise NotImplementedError


def unit_create(request):
    raise NotImplementedError
