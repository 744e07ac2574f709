"""Publishing posts, commenting and reading them through the GraphQL API."""
from behave import given, then, when

from support import builders
from support.posts import arrange as posts
from support.posts import check as expect


# -- starting state
@given("{person:Person} has published these posts")
def step_published_these(context, person):
    """The person has published the posts in the table (title, content)."""
    for row in context.table:
        context.posts.publish(person, row["title"], row["content"])


@given('{person:Person} has published a post "{title}"')
def step_published_one(context, person, title):
    """The person has published one post with this title."""
    context.posts.publish(person, title, builders.paragraph())


@given("{person:Person} has published {count:d} posts")
@given("{person:Person} has published {count:d} post")
def step_published_many(context, person, count):
    """The person has published this many posts, each with its own title."""
    for title in builders.post_titles(count):
        context.posts.publish(person, title, builders.paragraph())


@given("{person:Person} has published {count:d} post with {comments:d} comment from {commenter:Person}")
@given("{person:Person} has published {count:d} posts with {comments:d} comments each from {commenter:Person}")
def step_published_with_comments(context, person, count, comments, commenter):
    """The person has published posts, each carrying this many comments from the commenter."""
    for title in builders.post_titles(count):
        context.posts.publish(person, title, builders.paragraph())
        for _ in range(comments):
            context.posts.comment(commenter, title, builders.sentence())


@given('{person:Person} has commented "{body}" on "{title}"')
def step_commented(context, person, body, title):
    """The person has left this comment under the named post."""
    context.posts.comment(person, title, body)


# -- actions
@when("{person:Person} reads {author:Person}'s posts with their comments")
def step_read_posts(context, person, author):
    """The person reads the author's posts and their comments through the GraphQL API (database work counted)."""
    token = context.cast.token_of(person)
    context.reply, context.statements[author] = context.operator.statements_during(
        lambda: posts.read_posts_of(context.api, token, context.cast[author].id))


@when("a visitor without a pass reads {author:Person}'s posts")
def step_visitor_reads(context, author):
    """Someone who has not signed in tries to read the author's posts through the GraphQL API."""
    context.reply = posts.read_posts_of(context.api, None, context.cast[author].id)


@when("{person:Person} reads the posts of someone who does not exist")
def step_read_unknown(context, person):
    """The person asks for the posts of an author the shop does not know."""
    context.reply = posts.read_posts_of(context.api, context.cast.token_of(person), builders.unknown_id())


@when('{person:Person} publishes a post "{title}" saying "{content}"')
def step_publish(context, person, title, content):
    """The person publishes a post with this title and content through the GraphQL API."""
    context.reply = posts.publish(context.api, context.cast.token_of(person), title, content)


@when('{person:Person} publishes a post "{title}" saying "{content}" in {other:Person}\'s name')
def step_publish_as_other(context, person, title, content, other):
    """The person tries to publish a post naming someone else as its author."""
    token = context.cast.token_of(person)
    context.reply = posts.publish(context.api, token, title, content, authorId=context.cast[other].id)


@when("{person:Person} publishes a post with a title of {length:d} characters")
def step_publish_long_title(context, person, length):
    """The person tries to publish a post whose title is this many characters long."""
    context.reply = posts.publish(context.api, context.cast.token_of(person), "T" * length, builders.paragraph())


@when("{person:Person} publishes a post with an empty title and only spaces as its content")
def step_publish_blank(context, person):
    """The person tries to publish a post with no title and a blank content."""
    context.reply = posts.publish(context.api, context.cast.token_of(person), "", "   ")


@when('a visitor without a pass publishes a post "{title}" saying "{content}"')
def step_visitor_publishes(context, title, content):
    """Someone who has not signed in tries to publish a post."""
    context.reply = posts.publish(context.api, None, title, content)


@when('{person:Person} comments "{body}" on "{title}"')
def step_comment(context, person, body, title):
    """The person comments on the named post through the GraphQL API."""
    context.reply = posts.comment(context.api, context.cast.token_of(person), context.posts[title], body)


@when('{person:Person} comments "{body}" on a post that does not exist')
def step_comment_unknown(context, person, body):
    """The person tries to comment on a post that does not exist."""
    context.reply = posts.comment(context.api, context.cast.token_of(person), builders.unknown_id(), body)


@when("{person:Person} asks for {other:Person}'s email address")
@when("{person:Person} asks for {possessive:Possessive} own email address")
def step_ask_email(context, person, other=None, possessive=None):
    """The person asks the GraphQL API for someone's email address (another person's, or their own)."""
    person_asked = context.cast[other or person]
    context.reply = context.api.graphql(context.cast.token_of(person), posts.USER_EMAIL, {"id": person_asked.id})


@when("{person:Person} reads all posts {size:d} at a time")
def step_read_pages(context, person, size):
    """The person reads every post, page by page, this many at a time."""
    context.pages = posts.read_all_pages(context.api, context.cast.token_of(person), size)
    context.reply = context.pages[-1]


@when("{person:Person} asks for {author:Person}'s posts nested {levels:d} levels deep")
def step_nested(context, person, author, levels):
    """The person sends a query that nests the author's posts this many levels deep."""
    query, token = posts.nested_query(context.cast[author].id, levels), context.cast.token_of(person)
    context.reply, context.statements["query"] = context.operator.statements_during(
        lambda: context.api.graphql(token, query))


@when("{person:Person} asks for 50 posts with 50 comments each and 50 posts of each commenter")
def step_too_much(context, person):
    """The person sends a query asking for far more data than the shop allows in one request."""
    token = context.cast.token_of(person)
    context.reply, context.statements["query"] = context.operator.statements_during(
        lambda: context.api.graphql(token, posts.TOO_MUCH))


@when("{person:Person} sends the GraphQL request")
def step_send_graphql(context, person):
    """The person sends the GraphQL request written under this step, as it is."""
    context.reply = context.api.graphql(context.cast.token_of(person), context.text)


# -- outcomes
@then("{person:Person} sees {author:Person}'s posts as they are stored, newest first")
@then("{pronoun:Pronoun} sees {author:Person}'s posts as they are stored, newest first")
def step_sees_stored_posts(context, author, person=None, pronoun=None):
    """Checks the answer shows the author's posts exactly as the shop stored them, newest first."""
    expect.expect_posts_as_stored(context.reply, context.inspector, context.cast[author].id)


@then("every post {pronoun:Pronoun} sees names {author:Person} as its author")
def step_every_post_by(context, author, pronoun=None):
    """Checks every post in the answer names this author."""
    expect.expect_every_post_by(context.reply, context.cast[author].id, context.cast[author].details.name)


@then('{pronoun:Pronoun} sees {commenter:Person}\'s comment "{body}" under "{title}"')
def step_sees_comment(context, commenter, body, title, pronoun=None):
    """Checks the answer shows the commenter's comment under the named post."""
    expect.expect_comment_shown(context.reply, context.posts[title], context.cast[commenter].id, body)


@then('the post "{title}" is stored with {author:Person} as its author')
def step_post_stored(context, title, author):
    """Checks the shop stored the post under this title, with this author."""
    context.posts.remember(title, expect.expect_stored_post(context.inspector, title, context.cast[author].id))


@then("the published post names {author:Person} as its author")
def step_published_by(context, author):
    """Checks the answer to the publishing names this author."""
    expect.expect_published_by(context.reply, context.cast[author].id, context.cast[author].details.name)


@then("the stored post has the id the response gave, with {author:Person} as its author")
def step_stored_id(context, author):
    """Checks the post stored has the id the answer gave, and this author."""
    expect.expect_stored_post_id(context.inspector, context.reply, context.cast[author].id)


@then('{person:Person}\'s comment "{body}" is stored under "{title}"')
def step_comment_stored(context, person, body, title):
    """Checks the shop stored the person's comment under the named post."""
    expect.expect_comment_stored(context.inspector, context.posts[title], context.cast[person].id, body)


@then("no post is stored")
def step_no_post(context):
    """Checks the shop stored no post at all."""
    expect.expect_row_count(context.inspector, "posts", 0)


@then("no comment is stored")
def step_no_comment(context):
    """Checks the shop stored no comment at all."""
    expect.expect_row_count(context.inspector, "comments", 0)


@then('only the post "{title}" is stored')
def step_only_post(context, title):
    """Checks the named post is the only one the shop stored."""
    expect.expect_only_posts(context.inspector, [title])


@then("the request is refused as bad input before anything runs")
def step_bad_input(context):
    """Checks the request was refused as bad input, before the shop did any of it."""
    expect.expect_graphql_error(context.reply, "BAD_USER_INPUT", status=400)


@then("the visitor is told to sign in first")
def step_sign_in_first(context):
    """Checks the visitor was refused and told to sign in first."""
    expect.expect_graphql_error(context.reply, "UNAUTHENTICATED", "Unauthorized", status=401)


@then("the post is refused with these problems")
@then("the posts are refused with these problems")
def step_refused_with_problems(context):
    """Checks the posts were refused naming each field and its problem, as in the table."""
    expect.expect_input_problems(context.reply, {row["field"]: row["problem"] for row in context.table})


@then('{pronoun:Pronoun} is told "{message}"')
def step_told_not_found(context, message, pronoun=None):
    """Checks the person was told that what they asked for was not found, in these words."""
    expect.expect_graphql_error(context.reply, "NOT_FOUND", message, status=200)


@then("{person:Person} sees {other:Person}'s name but not {possessive:Possessive} email address")
def step_email_withheld(context, person, other, possessive=None):
    """Checks the answer shows the other person's name but withholds their email address."""
    expect.expect_email_withheld(context.reply, context.cast[other].details.name)


@then("{person:Person} sees {possessive:Possessive} own email address")
def step_sees_own_email(context, person, possessive=None):
    """Checks the answer shows the person's own email address."""
    expect.expect_email_shown(context.reply, context.cast[person].email)


@then("{pronoun:Pronoun} reads {count:d} pages, of {sizes} posts")
def step_pages(context, count, sizes, pronoun=None):
    """Checks the reading took this many pages, of these sizes in order."""
    expect.expect_page_sizes(context.pages, count, [int(n) for n in sizes.replace(" and ", ", ").split(", ")])


@then("{pronoun:Pronoun} has seen every stored post exactly once, newest first")
def step_seen_every_post(context, pronoun=None):
    """Checks the pages together showed every stored post exactly once, newest first."""
    expect.expect_pages_cover_stored_posts(context.pages, context.inspector)


@then('the query is refused because "{message}"')
def step_query_refused(context, message):
    """Checks the query was refused as invalid, with this reason."""
    expect.expect_graphql_error(context.reply, "GRAPHQL_VALIDATION_FAILED", message, status=400)


@then("the shop ran no database statement for it")
def step_no_statements(context):
    """Checks the shop did no database work for the refused query."""
    expect.expect_statements(context.statements["query"], 0, "the refused query")


@then("reading {many:Person}'s {count:d} posts ran as many database statements as reading {few:Person}'s {n:d}, "
      "at most {limit:d}")
def step_same_statements(context, many, count, few, n, limit):
    """Checks many posts cost no more database work than few, and stay within the limit (no query per post)."""
    expect.expect_no_n_plus_one(context.statements, many=many, few=few, at_most=limit)


@when("{person:Person} asks the GraphQL API to describe its schema")
@when("{person:Person} asks the GraphQL API to describe its schema {times:d} times in one request")
def step_introspect(context, person, times=1):
    """The person asks the GraphQL API to describe its schema (once, or many times in one request)."""
    context.reply = context.api.graphql(context.cast.token_of(person), posts.describe_schema(times))


@when("{person:Person} publishes {count:d} posts in one GraphQL request")
def step_publish_many_at_once(context, person, count):
    """The person tries to publish many posts in a single GraphQL request."""
    query = posts.many_posts(count, builders.post_titles(1)[0], builders.paragraph())
    context.reply = context.api.graphql(context.cast.token_of(person), query)


@then("{pronoun:Pronoun} sees the schema's types")
def step_sees_schema(context, pronoun=None):
    """Checks the answer describes the schema's types."""
    expect.expect_schema_described(context.reply)
