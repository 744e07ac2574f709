"""Binds the schema's fields to the shop's service functions; each resolver is a line or two.

Who is asking comes from the request's pass (the context), never from the query: a post's author
is the caller, whatever the input says (and NewPost has no field to say otherwise).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ariadne import MutationType, ObjectType, QueryType
from graphql import GraphQLResolveInfo

from shop.auth import Caller
from shop.bootstrap import Shop
from shop.gql.loaders import Loaders
from shop.posts import Author, Comment, Post, PostPage, cursor_of, page_size


@dataclass
class RequestContext:
    shop: Shop
    caller: Caller
    loaders: Loaders = field(init=False)

    def __post_init__(self):
        self.loaders = Loaders(self.shop.posts)


def _context(info: GraphQLResolveInfo) -> RequestContext:
    return info.context


query = QueryType()
mutation = MutationType()
user = ObjectType("User")
post = ObjectType("Post")
comment = ObjectType("Comment")
connection = ObjectType("PostConnection")


@query.field("user")
def resolve_user(_, info, id: str) -> Author:  # noqa: A002 - the schema's argument name
    found = _context(info).shop.posts.author(id)
    _context(info).loaders.seen_users([found])
    return found


@query.field("post")
def resolve_post(_, info, id: str) -> Post:  # noqa: A002
    found = _context(info).shop.posts.get(id)
    _context(info).loaders.seen_posts([found])
    return found


@query.field("posts")
def resolve_posts(_, info, first: int, after: str | None = None) -> PostPage:
    page = _context(info).shop.posts.page(first, after)
    _context(info).loaders.seen_posts(page.posts)
    return page


@connection.field("edges")
def resolve_edges(page: PostPage, _) -> list[dict[str, Any]]:
    return [{"cursor": cursor_of(p), "node": p} for p in page.posts]


@connection.field("pageInfo")
def resolve_page_info(page: PostPage, _) -> dict[str, Any]:
    return {"hasNextPage": page.has_next_page, "endCursor": cursor_of(page.posts[-1]) if page.posts else None}


@mutation.field("createPost")
def resolve_create_post(_, info, input: dict[str, Any]) -> Post:  # noqa: A002
    created = _context(info).shop.posts.create(_context(info).caller, input)
    _context(info).loaders.seen_posts([created])
    return created


@mutation.field("addComment")
def resolve_add_comment(_, info, postId: str, body: str) -> Comment:  # noqa: N803 - the schema's name
    added = _context(info).shop.posts.add_comment(_context(info).caller, postId, body)
    _context(info).loaders.seen_comments([added])
    return added


@user.field("email")
def resolve_email(author: Author, info) -> str:
    # The same rule as the REST API: only oneself, or an administrator, sees an address.
    return _context(info).shop.users.get(str(author.id), _context(info).caller).email


@user.field("posts")
def resolve_user_posts(author: Author, info, first: int) -> list[Post]:
    return _context(info).loaders.posts_by(page_size(first)).load(author.id)


@post.field("createdAt")
@comment.field("createdAt")
def resolve_created_at(item: Post | Comment, _) -> str:
    return item.created_at.isoformat()


@post.field("author")
@comment.field("author")
def resolve_author(item: Post | Comment, info) -> Author:
    return _context(info).loaders.authors.load(item.author_id)


@post.field("comments")
def resolve_comments(item: Post, info, first: int) -> list[Comment]:
    return _context(info).loaders.comments_on(page_size(first)).load(item.id)


@comment.field("post")
def resolve_comment_post(item: Comment, info) -> Post:
    return _context(info).loaders.posts_by_id.load(item.post_id)


BINDABLES = [query, mutation, user, post, comment, connection]
