"""Plans and their tasks; a plan is loaded from shipped data or imported from its appendix."""
