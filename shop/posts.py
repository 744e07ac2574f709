"""Service functions for posts and comments: validation, storage, the emails they cause, and
reading them in batches (one statement for any number of posts), which keeps GraphQL free of N+1."""
from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from psycopg2.extensions import cursor as Cursor

from shop.auth import Caller
from shop.db import Database
from shop.email_outbox import EmailOutbox
from shop.errors import InvalidInput, NotFound, Unauthorized
from shop.ids import uuid_or_none
from shop.providers.email import Email

MAX_TITLE_LENGTH = 200
MAX_CONTENT_LENGTH = 10_000
MAX_COMMENT_LENGTH = 2_000
MAX_PAGE_SIZE = 50

_POST = "id, author_id, title, content, created_at"
_COMMENT = "id, post_id, author_id, body, created_at"


@dataclass(frozen=True)
class Post:
    id: uuid.UUID
    author_id: uuid.UUID
    title: str
    content: str
    created_at: datetime


@dataclass(frozen=True)
class Comment:
    id: uuid.UUID
    post_id: uuid.UUID
    author_id: uuid.UUID
    body: str
    created_at: datetime


@dataclass(frozen=True)
class Author:
    """Who wrote something, as anyone signed in may see them: no email address."""

    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class PostPage:
    posts: list[Post]
    has_next_page: bool


def cursor_of(post: Post) -> str:
    """Opaque to clients; for us the position (created_at, id) after which the next page starts."""
    return base64.urlsafe_b64encode(f"{post.created_at.isoformat()}|{post.id}".encode()).decode()


def _position(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        moment, _, post_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        when = datetime.fromisoformat(moment)
        if when.tzinfo is None:
            raise ValueError("a cursor's moment has a time zone")
        # In UTC, as the cursors we give out are: PostgreSQL refuses offsets beyond 15:59 that Python accepts.
        return when.astimezone(UTC), uuid.UUID(post_id)
    except (ValueError, OverflowError, UnicodeDecodeError, binascii.Error):
        raise InvalidInput("after is not a cursor this API gave out", {"after": "unknown cursor"}) from None


def page_size(first: Any) -> int:
    if not isinstance(first, int) or not 1 <= first <= MAX_PAGE_SIZE:
        problem = f"must be between 1 and {MAX_PAGE_SIZE}"
        raise InvalidInput(f"first {problem}", {"first": problem})
    return first


def _text_problem(value: Any, label: str, limit: int) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"{label} is required"
    if len(value.strip()) > limit:
        return f"{label} must be at most {limit} characters"
    return None


def validate_new_post(data: dict[str, Any]) -> dict[str, str]:
    """Every problem with a new post at once, by field."""
    problems = {
        "title": _text_problem(data.get("title"), "Title", MAX_TITLE_LENGTH),
        "content": _text_problem(data.get("content"), "Content", MAX_CONTENT_LENGTH),
    }
    return {field: problem for field, problem in problems.items() if problem}



class Posts:
    def __init__(self, db: Database, outbox: EmailOutbox):
        self._db = db
        self._outbox = outbox

    def create(self, caller: Caller, data: dict[str, Any]) -> Post:
        """A post by the caller, and the "New post created" email to them. The author is the caller, always."""
        problems = validate_new_post(data)
        if problems:
            raise InvalidInput("The post could not be created", problems)
        with self._db.transaction() as cur:
            author = _signed_in_person(cur, caller)
            cur.execute(
                f"INSERT INTO posts (author_id, title, content) VALUES (%s, %s, %s) RETURNING {_POST}",
                (caller.user_id, data["title"].strip(), data["content"].strip()),
            )
            post = Post(**cur.fetchone())
            email_id = self._outbox.enqueue(cur, Email(
                author["email"], author["name"], "New post created", "new-post",
                f"Hello {author['name']},\n\nyour post \u201c{post.title}\u201d is published.",
                reference=f"post:{post.id}:new-post",
            ))
        self._outbox.deliver_soon(email_id)
        return post

    def add_comment(self, caller: Caller, post_id: Any, body: Any) -> Comment:
        """The caller's comment; the post's author is emailed, unless they commented themselves."""
        problem = _text_problem(body, "Comment", MAX_COMMENT_LENGTH)
        if problem:
            raise InvalidInput("The comment could not be added", {"body": problem})
        wanted = uuid_or_none(post_id)
        with self._db.transaction() as cur:
            commenter = _signed_in_person(cur, caller)
            cur.execute(
                "SELECT p.id, p.title, u.id AS author_id, u.name, u.email FROM posts p"
                " JOIN users u ON u.id = p.author_id WHERE p.id = %s",
                (wanted,),
            )
            post = cur.fetchone() if wanted else None
            if post is None:
                raise NotFound("Post not found")
            cur.execute(
                f"INSERT INTO comments (post_id, author_id, body) VALUES (%s, %s, %s) RETURNING {_COMMENT}",
                (post["id"], caller.user_id, body.strip()),
            )
            comment = Comment(**cur.fetchone())
            email_id = None
            if post["author_id"] != caller.user_id:
                email_id = self._outbox.enqueue(cur, Email(
                    post["email"], post["name"], "New comment", "new-comment",
                    f"Hello {post['name']},\n\n{commenter['name']} commented on your post \u201c{post['title']}\u201d:"
                    f"\n\n{comment.body}",
                    reference=f"comment:{comment.id}:new-comment",
                ))
        self._outbox.deliver_soon(email_id)
        return comment

    def page(self, first: Any = 10, after: str | None = None) -> PostPage:
        """Everyone's posts, newest first, `first` at a time, starting after the cursor `after`."""
        size = page_size(first)
        where, args = "", []
        if after is not None:
            where, args = "WHERE (created_at, id) < (%s, %s)", list(_position(after))
        with self._db.transaction() as cur:
            cur.execute(
                f"SELECT {_POST} FROM posts {where} ORDER BY created_at DESC, id DESC LIMIT %s", [*args, size + 1]
            )
            rows = cur.fetchall()
        return PostPage([Post(**row) for row in rows[:size]], has_next_page=len(rows) > size)

    def get(self, post_id: Any) -> Post:
        found = self.posts_by_id([post_id]) if uuid_or_none(post_id) else {}
        if not found:
            raise NotFound("Post not found")
        return next(iter(found.values()))

    def author(self, user_id: Any) -> Author:
        wanted = uuid_or_none(user_id)
        found = self.authors([wanted]) if wanted else {}
        if wanted not in found:
            raise NotFound("User not found")
        return found[wanted]

    # Batch readers: one statement for any number of keys.
    def authors(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Author]:
        rows = self._rows("SELECT id, name FROM users WHERE id = ANY(%s)", user_ids)
        return {row["id"]: Author(**row) for row in rows}

    def posts_by_id(self, post_ids: list[Any]) -> dict[uuid.UUID, Post]:
        ids = [i for i in map(uuid_or_none, post_ids) if i]
        return {row["id"]: Post(**row) for row in self._rows(f"SELECT {_POST} FROM posts WHERE id = ANY(%s)", ids)}

    def latest_posts_by(self, author_ids: list[uuid.UUID], first: Any) -> dict[uuid.UUID, list[Post]]:
        """Each author's `first` newest posts."""
        rows = self._rows(
            f"SELECT {_POST} FROM (SELECT {_POST}, row_number() OVER"
            " (PARTITION BY author_id ORDER BY created_at DESC, id DESC) AS n FROM posts WHERE author_id = ANY(%s))"
            " ranked WHERE n <= %s ORDER BY created_at DESC, id DESC",
            author_ids, page_size(first),
        )
        return _grouped(author_ids, [Post(**row) for row in rows], "author_id")

    def earliest_comments_on(self, post_ids: list[uuid.UUID], first: Any) -> dict[uuid.UUID, list[Comment]]:
        """Each post's `first` comments, in the order they were written."""
        rows = self._rows(
            f"SELECT {_COMMENT} FROM (SELECT {_COMMENT}, row_number() OVER"
            " (PARTITION BY post_id ORDER BY created_at, id) AS n FROM comments WHERE post_id = ANY(%s))"
            " ranked WHERE n <= %s ORDER BY created_at, id",
            post_ids, page_size(first),
        )
        return _grouped(post_ids, [Comment(**row) for row in rows], "post_id")

    def _rows(self, query: str, ids: list[uuid.UUID], *more: Any) -> list[dict[str, Any]]:
        if not ids:
            return []
        with self._db.transaction() as cur:
            cur.execute(query, (list(ids), *more))
            return cur.fetchall()


def _grouped(keys: list[uuid.UUID], items: list, attribute: str) -> dict[uuid.UUID, list]:
    groups: dict[uuid.UUID, list] = {key: [] for key in keys}
    for item in items:
        groups[getattr(item, attribute)].append(item)
    return groups


def _signed_in_person(cur: Cursor, caller: Caller) -> dict[str, Any]:
    cur.execute("SELECT id, name, email FROM users WHERE id = %s", (caller.user_id,))
    person = cur.fetchone()
    if person is None:
        raise Unauthorized()  # a valid pass for an account that no longer exists
    return person
