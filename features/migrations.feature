Feature: Database migrations
  The shop's schema is built by migrations that apply in order, roll back cleanly, and are
  recorded, so every environment can be brought to the same shape and back.
  Each scenario works on an empty scratch database of its own.

  Scenario: Every migration applies to an empty database
    Given an empty scratch database
    When the shop's migrations are applied
    Then every migration is recorded as applied, in order
    And the scratch database has the users table

  Scenario: The latest migration rolls back and is recorded as rolled back
    Given a scratch database with every migration applied
    When the latest migration is rolled back
    Then the latest migration is recorded as rolled back
    And every earlier migration is still recorded as applied
    And the schema is as it was before the latest migration

  Scenario: A rolled-back migration can be applied again
    Given a scratch database with every migration applied
    And the latest migration has been rolled back
    When the shop's migrations are applied
    Then every migration is recorded as applied, in order
    And the schema is as it was with every migration applied

  Scenario: Rolling every migration back leaves an empty database
    Given a scratch database with every migration applied
    When every migration is rolled back
    Then the scratch database has no tables of the shop
    And every migration is recorded as rolled back

  Scenario: Applying twice changes nothing
    Given a scratch database with every migration applied
    When the shop's migrations are applied
    Then no migration was applied again
