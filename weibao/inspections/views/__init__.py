"""Screens of the inspections app: the planner's month calendar (`planner`), the engineer's
visit and checklist on a phone (`onsite`) and the customer's plan."""
