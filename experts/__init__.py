"""The expert pool (技术检查员库).

For now this app holds only the expert profile, its service, permissions and admin: the
demo needs experts before anything draws them. It has no views or URLs yet; the pool UI
(list, profile pages, conflicts, ratings) and the panel draw come with the panel issue.
"""
