"""Fidelity review pages. Thin: access through programs/access.py, rules in services, reads in selectors.

Anything outside the user's scope is a 404. Trainers and administrators (REVIEW_FIDELITY) run reviews;
supervisors and specialists (VIEW_FIDELITY_REPORT) see finalized reports of their own programs;
supervisors (MANAGE_PROGRAM) own the action plan.

- lists: the due list, the regional picture, the reports list, scheduling, a program's history
- review: one review's workflow (detail, scoring, consensus, report, finalization, amendments)
- report: the finalized report and its PDF, the action plan, the evidence behind a suggestion
"""
