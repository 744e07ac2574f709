"""The shop's GraphQL API: a schema written first (schema.graphql), bound to service functions.

Named `gql` so it can never be mistaken for graphql-core's own `graphql` package.
"""
