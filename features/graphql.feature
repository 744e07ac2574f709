Feature: Posts and comments through the GraphQL API
  Customers publish posts and comment on each other's posts through the shop's GraphQL API, signed
  in with the same pass as everywhere else in the shop. Publishing a post is confirmed to its author
  by email, and a comment is announced to the post's author by email.

  Background:
    Given Alice is a customer
    And Bob is a customer

  Scenario: A customer reads someone's posts with their comments and authors
    Given Alice has published these posts
      | title                | content                                       |
      | Spring in the garden | The tulips are finally out.                   |
      | A kettle that lasts  | Ten years on and it still boils in a minute.  |
    And Bob has commented "Lovely colours!" on "Spring in the garden"
    When Bob reads Alice's posts with their comments
    Then he sees Alice's posts as they are stored, newest first
    And every post he sees names Alice as its author
    And he sees Bob's comment "Lovely colours!" under "Spring in the garden"

  Scenario: Publishing a post stores it under the signed-in author and emails her
    When Alice publishes a post "Opening hours" saying "From Monday we open at nine."
    Then the post "Opening hours" is stored with Alice as its author
    And the published post names Alice as its author
    And Alice receives an email "New post created" mentioning "Opening hours"

  Scenario: Nobody can publish a post in someone else's name
    When Bob publishes a post "Everything half price" saying "Today only." in Alice's name
    Then the request is refused as bad input before anything runs
    And no post is stored
    And nobody receives an email

  Scenario: A comment is announced to the post's author, but not to authors commenting on their own post
    Given Alice has published a post "Opening hours"
    When Bob comments "Will you open on Sundays?" on "Opening hours"
    Then Bob's comment "Will you open on Sundays?" is stored under "Opening hours"
    And Alice receives an email "New comment" mentioning "Will you open on Sundays?"
    When Alice comments "Not yet, sorry." on "Opening hours"
    Then Alice's comment "Not yet, sorry." is stored under "Opening hours"
    And Alice still has exactly one "New comment" email
    And Bob receives no email

  Scenario: Without a pass nothing is read or written
    Given Alice has published a post "Opening hours"
    When a visitor without a pass reads Alice's posts
    Then the visitor is told to sign in first
    When a visitor without a pass publishes a post "Cheap watches" saying "Click here."
    Then the visitor is told to sign in first
    And only the post "Opening hours" is stored

  Scenario: Every problem with a new post is reported at once and nothing is stored
    When Alice publishes a post with an empty title and only spaces as its content
    Then the post is refused with these problems
      | field   | problem             |
      | title   | Title is required   |
      | content | Content is required |
    And no post is stored
    And Alice receives no email

  Scenario: A title longer than 200 characters is refused
    When Alice publishes a post with a title of 201 characters
    Then the post is refused with these problems
      | field | problem                              |
      | title | Title must be at most 200 characters |
    And no post is stored

  Scenario: Unknown people and posts are reported as not found
    When Bob reads the posts of someone who does not exist
    Then he is told "User not found"
    When Bob comments "Hello?" on a post that does not exist
    Then he is told "Post not found"
    And no comment is stored

  Scenario: Customers see each other's posts but not each other's email addresses
    When Bob asks for Alice's email address
    Then Bob sees Alice's name but not her email address
    When Alice asks for her own email address
    Then Alice sees her own email address

  Scenario: Everyone's posts are read page by page, newest first, each exactly once
    Given Alice has published 3 posts
    And Bob has published 2 posts
    When Bob reads all posts 2 at a time
    Then he reads 3 pages, of 2, 2 and 1 posts
    And he has seen every stored post exactly once, newest first

  Scenario Outline: Posts read page by page end exactly at the last post: <posts> posts, <size> at a time
    Given Alice has published <posts> posts
    When Bob reads all posts <size> at a time
    Then he reads <count> pages, of <sizes> posts
    And he has seen every stored post exactly once, newest first
    And Bob finds no more posts after the last page

    Examples:
      | posts | size | count | sizes   |
      | 4     | 2    | 2     | 2 and 2 |
      | 2     | 2    | 1     | 2       |
      | 1     | 1    | 1     | 1       |
      | 3     | 1    | 3     | 1, 1, 1 |

  Scenario: A page larger than 50 posts is refused
    When Bob reads all posts 500 at a time
    Then the posts are refused with these problems
      | field | problem                     |
      | first | must be between 1 and 50    |

  Scenario: A query nested too deeply is refused before it reaches the database
    Given Alice has published a post "Opening hours"
    When Bob asks for Alice's posts nested 10 levels deep
    Then the query is refused because "The query nests fields 10 levels deep; at most 8 levels are allowed"
    And the shop ran no database statement for it

  Scenario: A query that could return too much is refused before it reaches the database
    When Bob asks for 50 posts with 50 comments each and 50 posts of each commenter
    Then the query is refused because "The query could return 257,700 values; at most 10,000 are allowed"
    And the shop ran no database statement for it

  Scenario: Reading many posts with their comments costs no more database statements than reading one
    Given Carol is a customer
    And Alice has published 1 post with 1 comment from Bob
    And Carol has published 20 posts with 3 comments each from Bob
    When Bob reads Alice's posts with their comments
    And Bob reads Carol's posts with their comments
    Then he sees Carol's posts as they are stored, newest first
    And reading Carol's 20 posts ran as many database statements as reading Alice's 1, at most 4

  Scenario: A post is published while the email provider is down, and its email follows once
    Given the email provider is down
    When Alice publishes a post "Opening hours" saying "From Monday we open at nine."
    Then the post "Opening hours" is stored with Alice as its author
    And Alice receives no email
    And the "New post created" email to Alice is kept to be sent later
    When the email provider is back
    And the shop sends the emails it kept
    Then Alice receives an email "New post created" mentioning "Opening hours"
    When the shop sends the emails it kept
    Then Alice still has exactly one "New post created" email

  Scenario Outline: A post is published even when the email provider <trouble>
    Given the email provider <trouble>
    When Alice publishes a post "Opening hours" saying "From Monday we open at nine."
    Then the post "Opening hours" is stored with Alice as its author
    And the published post names Alice as its author
    And the "New post created" email to Alice is kept to be sent later

    Examples:
      | trouble                       |
      | fails with server errors      |
      | answers only after 30 seconds |

  @api-contract
  Scenario: Publishing a post answers with the post, its author and no comments yet
    When Alice sends the GraphQL request
      """
      mutation {
        createPost(input: {title: "Opening hours", content: "From Monday we open at nine."}) {
          id title content createdAt
          author { id name }
          comments { id }
        }
      }
      """
    Then the response status is 200
    And the response matches
      """
      {
        "data": {
          "createPost": {
            "id": "#uuid", "title": "Opening hours", "content": "From Monday we open at nine.",
            "createdAt": "#datetime", "author": {"id": "#uuid", "name": "#string"}, "comments": []
          }
        },
        "errors": "#notpresent"
      }
      """
    And the stored post has the id the response gave, with Alice as its author

  @api-contract
  Scenario: An error names its code and its place, and never shows a stack trace
    When Bob sends the GraphQL request
      """
      { user(id: "00000000-0000-4000-8000-000000000000") { name } }
      """
    Then the response status is 200
    And the response matches
      """
      {
        "data": {"user": null},
        "errors": [
          {"message": "User not found", "locations": [{"line": 1, "column": 3}], "path": ["user"],
           "extensions": {"code": "NOT_FOUND"}}
        ]
      }
      """
