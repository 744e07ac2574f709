"""Posts and comments for scenarios, arranged and done over GraphQL in their authors' names.

What a scenario *starts with* ("Given Alice has published ...") and what it *does* are the same
GraphQL requests through ShopApi (arranging still sends the emails such posts cause). The query texts
live here, once, in the API's words.
"""
from __future__ import annotations

from typing import Any, TypeVar

from support.wires.api_client import Reply, ShopApi
from support.wires.database import DatabaseInspector

T = TypeVar("T")

POST_FIELDS = "id title content createdAt author { id name }"
USER_WITH_POSTS = f"""
query UserWithPosts($id: ID!) {{
  user(id: $id) {{
    id name
    posts {{ {POST_FIELDS} comments {{ id body createdAt author {{ id name }} }} }}
  }}
}}"""
USER_EMAIL = "query UserEmail($id: ID!) { user(id: $id) { id name email } }"
PAGE_OF_POSTS = f"""
query PageOfPosts($first: Int, $after: String) {{
  posts(first: $first, after: $after) {{
    edges {{ cursor node {{ {POST_FIELDS} }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
CREATE_POST = f"mutation CreatePost($input: NewPost!) {{ createPost(input: $input) {{ {POST_FIELDS} }} }}"
ADD_COMMENT = """
mutation AddComment($postId: ID!, $body: String!) {
  addComment(postId: $postId, body: $body) { id body createdAt author { id name } post { id title } }
}"""
# 50 posts, each with 50 comments, each commenter with 50 posts: 125,000 posts at most.
TOO_MUCH = """
{ posts(first: 50) { edges { node { title comments(first: 50) { body author { posts(first: 50) { title } } } } } } }"""


def nested_query(user_id: str, levels: int) -> str:
    """`user { posts { author { posts ... } } }`, exactly `levels` fields deep."""
    path = ["user"] + [("posts", "author")[i % 2] for i in range(levels - 2)]
    leaf = "title" if path[-1] == "posts" else "name"
    opening = f'user(id: "{user_id}")' + "".join(f" {{ {field}" for field in path[1:])
    return "{ " + opening + f" {{ {leaf}" + " }" * (levels - 1) + " }"


# -- doing, over GraphQL
def read_posts_of(api: ShopApi, token: str | None, user_id: str) -> Reply:
    return api.graphql(token, USER_WITH_POSTS, {"id": user_id})


def publish(api: ShopApi, token: str | None, title: str, content: str, **extra: Any) -> Reply:
    return api.graphql(token, CREATE_POST, {"input": {"title": title, "content": content, **extra}})


def comment(api: ShopApi, token: str | None, post_id: str, body: str) -> Reply:
    return api.graphql(token, ADD_COMMENT, {"postId": post_id, "body": body})


def read_all_pages(api: ShopApi, token: str | None, size: int) -> list[Reply]:
    """Every page of everyone's posts, following the cursors; stops at 50 pages whatever happens."""
    pages, after = [], None
    for _ in range(50):
        pages.append(api.graphql(token, PAGE_OF_POSTS, {"first": size, "after": after}))
        info = ((pages[-1].body or {}).get("data") or {}).get("posts", {}).get("pageInfo", {})
        if not info.get("hasNextPage"):
            break
        after = info["endCursor"]
    return pages


# -- starting state
class PostRegister:
    """The scenario's posts by title: arranged through GraphQL in their authors' names, read back by title."""

    def __init__(self, api: ShopApi, cast):
        self._api, self._cast = api, cast
        self._ids: dict[str, str] = {}

    def publish(self, author: str, title: str, content: str) -> str:
        reply = publish(self._api, self._cast.token_of(author), title, content)
        self._ids[title] = _arranged(reply, "createPost", f"{author}'s post {title!r}")["id"]
        return self._ids[title]

    def comment(self, author: str, title: str, body: str) -> None:
        _arranged(comment(self._api, self._cast.token_of(author), self[title], body), "addComment",
                  f"{author}'s comment on {title!r}")

    def remember(self, title: str, post_id: str) -> None:
        self._ids[title] = post_id

    def __getitem__(self, title: str) -> str:
        if title not in self._ids:
            raise KeyError(f"no post titled {title!r} in this scenario (known: {', '.join(self._ids) or 'none'})")
        return self._ids[title]


def _arranged(reply: Reply, field: str, what: str) -> dict:
    data = (reply.body or {}).get("data") or {} if isinstance(reply.body, dict) else {}
    if reply.status != 200 or not data.get(field):
        raise AssertionError(f"could not arrange {what}: {reply.describe()}")
    return data[field]


# -- what is stored
def stored_posts_by(db: DatabaseInspector, author_id: str) -> list[dict[str, Any]]:
    return db.rows("SELECT * FROM posts WHERE author_id = %s ORDER BY created_at DESC, id DESC", (author_id,))


def stored_posts(db: DatabaseInspector) -> list[dict[str, Any]]:
    return db.rows("SELECT * FROM posts ORDER BY created_at DESC, id DESC")


def stored_post_titled(db: DatabaseInspector, title: str) -> list[dict[str, Any]]:
    return db.rows("SELECT * FROM posts WHERE title = %s", (title,))


def stored_comments_on(db: DatabaseInspector, post_id: str) -> list[dict[str, Any]]:
    return db.rows("SELECT * FROM comments WHERE post_id = %s ORDER BY created_at, id", (post_id,))



# -- asking for too much in one request
def describe_schema(times: int) -> str:
    """The schema asked for `times` times over, under aliases (once: a plain introspection query)."""
    asks = " ".join(f"s{n}: __schema {{ types {{ name fields {{ name }} }} }}" for n in range(times))
    return "{ " + asks + " }"


def many_posts(count: int, title: str, content: str) -> str:
    """One mutation publishing `count` posts under aliases."""
    return "mutation { " + " ".join(
        f'p{n}: createPost(input: {{title: "{title} {n}", content: "{content}"}}) {{ id }}' for n in range(count)
    ) + " }"
