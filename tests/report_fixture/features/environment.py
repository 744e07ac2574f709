"""The throwaway suite needs no servers and keeps no world."""
