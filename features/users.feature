Feature: Users of the shop
  Anyone can sign up as a customer. Administrators look after everyone who has an account,
  and customers see only their own details.

  Background:
    Given Ada is an administrator

  Scenario: An administrator pages through the users
    Given 24 other customers have signed up
    When Ada lists the users, 10 per page, page 2
    Then she sees 10 users on page 2 of 3, out of 25 in total
    And the page shows the 11th to the 20th user to sign up

  Scenario Outline: The users are counted in pages right at the edges: page <page>, <size> per page
    Given 19 other customers have signed up
    When Ada asks for page <page> of the users, <size> per page
    Then she is shown <count> users, the right ones in order of sign-up, on page <page> of <pages>

    Examples:
      | page | size | count | pages |
      | 2    | 10   | 10    | 2     |
      | 1    | 20   | 20    | 1     |
      | 3    | 10   | 0     | 2     |
      | 3    | 7    | 6     | 3     |

  Scenario: An administrator searches users by name, whatever the case
    Given these customers have signed up
      | name            |
      | Maria Lopez     |
      | Mario Rossi     |
      | Anna Schmidt    |
      | Rosemarie Chen  |
    When Ada searches the users for "MARI"
    Then she finds exactly these users
      | name          |
      | Maria Lopez   |
      | Mario Rossi   |
      | Rosemarie Chen |

  Scenario Outline: Search text is only ever text
    Given these customers have signed up
      | name          |
      | Maria Lopez   |
      | Percy 100%    |
    When Ada searches the users for "<text>"
    Then she finds <found>
    And 3 users are still stored

    Examples:
      | text                       | found                   |
      | %' OR '1'='1               | nobody                  |
      | '; DELETE FROM users; --   | nobody                  |
      | 100%                       | exactly "Percy 100%"    |
      | _                          | nobody                  |

  Scenario: A visitor signs up and the account is stored
    Given Grace has not signed up yet
    When Grace signs up
    Then Grace's account is created as a customer
    And Grace's account is stored with her name and email
    And Grace's password is stored only as a bcrypt hash
    And the reply does not show Grace's password

  Scenario: Every problem with a sign-up is reported at once and nothing is stored
    When a visitor signs up with
      | name | email        | password |
      |      | not-an-email |          |
    Then the sign-up is refused with these problems
      | field    | problem                              |
      | name     | Name is required                     |
      | email    | Email must be a valid email address  |
      | password | Password is required                 |
    And no new user is stored

  Scenario Outline: A weak password is refused
    When a visitor signs up with the password "<password>"
    Then the sign-up is refused with these problems
      | field    | problem                                                                  |
      | password | Password must be at least 8 characters and include a letter and a digit |
    And no new user is stored

    Examples:
      | password    |
      | short1      |
      | onlyletters |
      | 1234567890  |

  Scenario: An email address can only be used once, whatever its case
    Given Bob has signed up with the email "bob.marley@example.com"
    When a visitor signs up with the email "Bob.Marley@EXAMPLE.com"
    Then the sign-up is refused because the email is already registered
    And only one account is stored for "bob.marley@example.com"

  Scenario: Customers cannot list the users
    Given Carol is a customer
    When Carol lists the users
    Then she is refused because it needs an administrator

  Scenario: Customers can only become customers by signing up
    Given Mallory has not signed up yet
    When Mallory signs up as an administrator
    Then she is refused because only an administrator can create an administrator
    And no new user is stored

  Scenario: A customer reads her own details but not someone else's
    Given Carol is a customer
    And Dave is a customer
    When Carol looks at her own details
    Then Carol sees her name and email
    When Carol looks at Dave's details
    Then she is refused because she can only read her own profile

  Scenario: Looking up someone who does not exist
    When Ada looks up a user who does not exist
    Then she is told the user was not found

  @api-contract
  Scenario: Creating a user answers with the stored user and never the password
    When a visitor sends POST "/api/users" with
      """
      {"name": "Linus Torvalds", "email": "linus@example.org", "password": "kernel2024x"}
      """
    Then the response status is 201
    And the response matches
      """
      {
        "id": "#uuid",
        "email": "linus@example.org",
        "name": "Linus Torvalds",
        "role": "customer",
        "createdAt": "#datetime",
        "password": "#notpresent",
        "passwordHash": "#notpresent"
      }
      """
    And the stored user "linus@example.org" has the id the response gave

  @api-contract
  Scenario: Listing users answers with the data and the pagination
    Given 4 other customers have signed up
    When Ada sends GET "/api/users?page=2&limit=2"
    Then the response status is 200
    And the response matches
      """
      {
        "data": "#[2]",
        "pagination": {"page": 2, "limit": 2, "total": 5, "pages": 3}
      }
      """
    And every listed user matches
      """
      {"id": "#uuid", "email": "#email", "name": "#string", "role": "#regex admin|customer",
       "createdAt": "#datetime", "password": "#notpresent", "password_hash": "#notpresent"}
      """

  @api-contract
  Scenario: Requests without a pass are unauthorized
    When a visitor sends GET "/api/users"
    Then the response status is 401
    And the response matches
      """
      {"error": "Unauthorized"}
      """

  @api-contract
  Scenario Outline: A body that is not a JSON object is refused and nothing is written
    When a visitor sends POST "/api/users" as "<content type>" with
      """
      <body>
      """
    Then the response status is 400
    And the response matches
      """
      {"error": "<message>"}
      """
    And no new user is stored

    Examples:
      | content type     | body                                      | message                              |
      | application/json | {"name": "Ann", "email": "ann@example.org | Request body is not valid JSON       |
      | text/plain       | {"name": "Ann"}                           | Content-Type must be application/json |
      | application/json | ["Ann", "ann@example.org"]                | Request body must be a JSON object   |
