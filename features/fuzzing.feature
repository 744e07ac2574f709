@fuzz
Feature: Fuzzing the shop's published API
  A property-based fuzzer (schemathesis) reads the API description the shop publishes and generates
  requests from it: ones that fit it and ones that break it on purpose, each sent as a customer and as
  an administrator. Whatever it sends, the shop answers without a server error, with a status the
  description documents, and with a body that fits it. How many requests per operation is the
  `fuzz_cases` setting: a few in `make test`, a hundred and more in `make fuzz`.

  Background:
    Given Ada is an administrator
    And Alice is a customer

  Scenario: Generated requests to the REST API get answers within its published contract
    When a fuzzer sends generated requests to every operation of the published REST API, as Alice and as Ada
    Then the shop answered every one within its published contract, never with a server error

  Scenario: Generated GraphQL queries and mutations get answers without a server error
    When a fuzzer sends generated GraphQL queries and mutations, as Alice and as Ada
    Then the shop answered every one within its published contract, never with a server error
