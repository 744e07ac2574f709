"""Checks of what the GraphQL API answered and what the shop stored for posts and comments, each
failing with what was expected and what was seen."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from support.posts.arrange import stored_comments_on, stored_post_titled, stored_posts, stored_posts_by
from support.wires.api_client import Reply
from support.wires.database import DatabaseInspector
from support.words import in_words, one_per_line


def graphql_data(reply: Reply, doing: str) -> dict[str, Any]:
    """The answer's data, after checking the request ran without any error."""
    body = reply.body if isinstance(reply.body, dict) else {}
    assert reply.status == 200 and not body.get("errors") and body.get("data"), (
        f"{doing}: expected an answer without errors, the shop answered {reply.describe()}"
    )
    return body["data"]


def expect_graphql_error(reply: Reply, code: str, message: str | None = None, *, status: int) -> dict[str, Any]:
    errors = (reply.body.get("errors") or []) if isinstance(reply.body, dict) else []
    seen = [(e.get("extensions", {}).get("code"), e.get("message")) for e in errors]
    wanted = [e for e in errors if e.get("extensions", {}).get("code") == code and message in (None, e["message"])]
    assert reply.status == status and wanted, (
        f"expected status {status} with a {code} error{f' {message!r}' if message else ''}; "
        f"the shop answered {reply.status} with errors (code, message) {in_words(seen)}"
    )
    assert not any("exception" in e.get("extensions", {}) or "stacktrace" in str(e).lower() for e in errors), (
        f"an error shows server internals:{one_per_line(errors)}"
    )
    return wanted[0]


def expect_input_problems(reply: Reply, problems: dict[str, str]) -> None:
    error = expect_graphql_error(reply, "BAD_USER_INPUT", status=200)
    seen = error.get("extensions", {}).get("fields")
    assert seen == problems, (
        f"expected exactly these problems: {in_words(problems)}; the shop reported: {in_words(seen)}")


def _shown_posts(reply: Reply) -> list[dict[str, Any]]:
    user = graphql_data(reply, "reading posts")["user"]
    return user["posts"]


def expect_posts_as_stored(reply: Reply, db: DatabaseInspector, author_id: str) -> None:
    stored = [(str(r["id"]), r["title"], r["content"], r["created_at"]) for r in stored_posts_by(db, author_id)]
    shown = [(p["id"], p["title"], p["content"], datetime.fromisoformat(p["createdAt"])) for p in _shown_posts(reply)]
    assert shown == stored, (
        f"expected the stored posts (id, title, content, created), newest first:{one_per_line(stored)}\n"
        f"the shop showed:{one_per_line(shown)}")


def expect_every_post_by(reply: Reply, author_id: str, name: str) -> None:
    authors = {(p["author"]["id"], p["author"]["name"]) for p in _shown_posts(reply)}
    assert authors == {(author_id, name)}, (
        f"expected every post to name {name} ({author_id}), they name (id, name) {in_words(authors)}")


def expect_comment_shown(reply: Reply, post_id: str, commenter_id: str, body: str) -> None:
    shown = {p["id"]: p["comments"] for p in _shown_posts(reply)}
    comments = [(c["author"]["id"], c["body"]) for c in shown.get(post_id, [])]
    assert (commenter_id, body) in comments, (
        f"expected the comment {body!r} under the post, it shows (author, comment) {in_words(comments)}")


def expect_stored_post(db: DatabaseInspector, title: str, author_id: str) -> str:
    """The stored post's id, after checking there is exactly one so titled, by that author."""
    rows = stored_post_titled(db, title)
    seen = [str(r["author_id"]) for r in rows]
    assert seen == [author_id], (
        f"expected one post {title!r} stored by {author_id}, found {len(seen)} by {in_words(seen)}")
    return str(rows[0]["id"])


def expect_published_by(reply: Reply, author_id: str, name: str) -> None:
    author = graphql_data(reply, "publishing a post")["createPost"]["author"]
    assert (author["id"], author["name"]) == (author_id, name), (
        f"expected the published post to name {name} ({author_id}) as author, it names {in_words(author)}"
    )


def expect_stored_post_id(db: DatabaseInspector, reply: Reply, author_id: str) -> None:
    post = graphql_data(reply, "publishing a post")["createPost"]
    row = db.one("SELECT * FROM posts WHERE id = %s", (post["id"],))
    assert row is not None, f"expected a stored post with the id {post['id']} the response gave, there is none"
    assert str(row["author_id"]) == author_id == post["author"]["id"], (
        f"expected {author_id} as the author, stored: {row['author_id']}, answered: {post['author']['id']}"
    )


def expect_comment_stored(db: DatabaseInspector, post_id: str, author_id: str, body: str) -> None:
    comments = [(str(r["author_id"]), r["body"]) for r in stored_comments_on(db, post_id)]
    assert comments.count((author_id, body)) == 1, (
        f"expected the comment {body!r} by {author_id} stored once; stored (author, comment): {in_words(comments)}")


def expect_row_count(db: DatabaseInspector, table: str, count: int) -> None:
    stored = db.count(table)
    assert stored == count, f"expected {count} {table} stored, found {stored}"


def expect_only_posts(db: DatabaseInspector, titles: list[str]) -> None:
    stored = sorted(r["title"] for r in stored_posts(db))
    assert stored == sorted(titles), (
        f"expected only the posts {in_words(sorted(titles))}, found {in_words(stored)}")


def expect_email_withheld(reply: Reply, name: str) -> None:
    expect_graphql_error(reply, "FORBIDDEN", "You can only read your own profile", status=200)
    user = reply.body["data"]["user"]
    assert user["name"] == name and user["email"] is None, f"expected {name}'s name without the address, saw {user}"


def expect_email_shown(reply: Reply, address: str) -> None:
    seen = graphql_data(reply, "reading an email address")["user"]["email"]
    assert seen == address, f"expected to see the address {address}, saw {seen}"


def _page_posts(reply: Reply) -> list[dict[str, Any]]:
    return [edge["node"] for edge in graphql_data(reply, "reading a page of posts")["posts"]["edges"]]


def expect_page_sizes(pages: list[Reply], count: int, sizes: list[int]) -> None:
    seen = [len(_page_posts(page)) for page in pages]
    assert len(seen) == count and seen == sizes, (
        f"expected {count} pages of {in_words(sizes)} posts, read pages of {in_words(seen)}")


def expect_pages_cover_stored_posts(pages: list[Reply], db: DatabaseInspector) -> None:
    stored = [(str(r["id"]), r["title"]) for r in stored_posts(db)]
    seen = [(p["id"], p["title"]) for page in pages for p in _page_posts(page)]
    assert seen == stored, (
        f"expected every stored post (id, title) once, newest first:{one_per_line(stored)}\nread:{one_per_line(seen)}")


def expect_statements(seen: int, count: int, doing: str) -> None:
    assert seen == count, f"expected {doing} to run {count} database statements, it ran {seen}"


def expect_no_n_plus_one(statements: dict[str, int], *, many: str, few: str, at_most: int) -> None:
    assert statements[many] == statements[few] <= at_most, (
        f"expected reading {many}'s posts to run as many statements as reading {few}'s, at most {at_most}; "
        f"ran {statements[many]} for {many} and {statements[few]} for {few}"
    )


def expect_schema_described(reply: Reply) -> None:
    types = ((reply.body or {}).get("data") or {}).get("s0", {}).get("types") if reply.status == 200 else None
    names = {t["name"] for t in types or []}
    assert {"Query", "Mutation", "Post"} <= names, (
        f"expected the schema's types (Query, Mutation, Post...); the shop answered {reply.describe()}")
