"""The expert pool (技术检查员库): profiles, declared relations, blackout dates, certificates,
ratings and the qualification changes experts ask for (domain.md §6).

Pages under /experts/ (the pool for city roles and admins, "My profile" for experts) and
the API under /api/v1/experts share the permissions, selectors and services here. The
panel draw itself lives in ``reviews``.
"""
