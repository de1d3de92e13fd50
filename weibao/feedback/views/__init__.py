"""Feedback screens: the agent's callbacks, the customer's surveys, complaints, and the
customer portal's to-do page. Views parse input, call one service and render."""
