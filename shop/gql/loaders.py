"""Batch loading for one GraphQL request, so nested lists cost a fixed number of statements (no N+1).

graphql-core resolves synchronously and depth first, so a classic DataLoader has nothing to wait
for. Instead, whenever a request fetches posts or comments it announces the keys their fields will
ask for next (their authors, their comments...); the first lookup of a kind then fetches every
announced key of that kind in one statement, and later lookups are answered from memory.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from shop.posts import Author, Comment, Post, Posts


class BatchLoader:
    def __init__(self, fetch: Callable[[list[Any]], dict[Any, Any]], missing: Any = None):
        self._fetch = fetch
        self._missing = missing
        self._known: dict[Hashable, Any] = {}
        self._wanted: dict[Hashable, None] = {}  # an ordered set
        self.batches = 0

    def want(self, keys: Iterable[Hashable]) -> None:
        """These keys will probably be loaded: fetch them along with the next batch."""
        for key in keys:
            if key not in self._known:
                self._wanted[key] = None

    def prime(self, key: Hashable, value: Any) -> None:
        self._known[key] = value
        self._wanted.pop(key, None)

    def load(self, key: Hashable) -> Any:
        if key not in self._known:
            self.want([key])
            batch, self._wanted = list(self._wanted), {}
            found = self._fetch(batch)
            self.batches += 1
            for wanted in batch:
                self._known[wanted] = found.get(wanted, self._missing)
        return self._known[key]


class Loaders:
    """Every loader of one request; each fetch tells the others which keys are coming."""

    def __init__(self, posts: Posts):
        self._posts = posts
        self._post_ids: dict[uuid.UUID, None] = {}
        self._user_ids: dict[uuid.UUID, None] = {}
        self.authors = BatchLoader(self._fetch_authors)
        self.posts_by_id = BatchLoader(self._fetch_posts_by_id)
        self._posts_by_author: dict[int, BatchLoader] = {}
        self._comments_on: dict[int, BatchLoader] = {}

    def posts_by(self, first: int) -> BatchLoader:
        """Latest posts per author, for one page size (a query may ask for several)."""
        if first not in self._posts_by_author:
            loader = BatchLoader(lambda ids: self._fetch_posts_by_author(ids, first), missing=[])
            loader.want(self._user_ids)
            self._posts_by_author[first] = loader
        return self._posts_by_author[first]

    def comments_on(self, first: int) -> BatchLoader:
        if first not in self._comments_on:
            loader = BatchLoader(lambda ids: self._fetch_comments(ids, first), missing=[])
            loader.want(self._post_ids)
            self._comments_on[first] = loader
        return self._comments_on[first]

    def seen_users(self, authors: Iterable[Author]) -> None:
        for author in authors:
            self.authors.prime(author.id, author)
            self._announce_user(author.id)

    def seen_posts(self, posts: Iterable[Post]) -> None:
        for post in posts:
            self.posts_by_id.prime(post.id, post)
            self._post_ids[post.id] = None
            for loader in self._comments_on.values():
                loader.want([post.id])
            self.authors.want([post.author_id])
            self._announce_user(post.author_id)

    def seen_comments(self, comments: Iterable[Comment]) -> None:
        for comment in comments:
            self.authors.want([comment.author_id])
            self.posts_by_id.want([comment.post_id])
            self._announce_user(comment.author_id)

    def _announce_user(self, user_id: uuid.UUID) -> None:
        self._user_ids[user_id] = None
        for loader in self._posts_by_author.values():
            loader.want([user_id])

    def _fetch_authors(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, Author]:
        return self._posts.authors(ids)

    def _fetch_posts_by_id(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, Post]:
        found = self._posts.posts_by_id(ids)
        self.seen_posts(found.values())
        return found

    def _fetch_posts_by_author(self, ids: list[uuid.UUID], first: int) -> dict[uuid.UUID, list[Post]]:
        found = self._posts.latest_posts_by(ids, first)
        self.seen_posts(post for posts in found.values() for post in posts)
        return found

    def _fetch_comments(self, ids: list[uuid.UUID], first: int) -> dict[uuid.UUID, list[Comment]]:
        found = self._posts.earliest_comments_on(ids, first)
        self.seen_comments(comment for comments in found.values() for comment in comments)
        return found
