"""Lost contact and re-engagement: outreach tasks and re-engagement plans (B12)."""
