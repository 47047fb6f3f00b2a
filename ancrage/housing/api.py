"""API of housing (v1): each part's router under one router."""

from ninja import Router

from ancrage.housing.book import api as book_api

router = Router()
for part in (book_api,):
    router.add_router("", part.router)
