"""Where darkness and incidents meet, and where new or repaired lamps buy the most.

Steps, each a pure function in its own module (import from the modules):

1. :mod:`~geo.plan.lighting.evidence` — :func:`~geo.plan.lighting.evidence.dark_evidence`, the reports that
   speak for more light (incidents in darkness, residents' reports of dark places), and
   :func:`~geo.plan.lighting.evidence.rank_dark_places`, dark stretches ranked by weighted evidence per 100 m;
2. :mod:`~geo.plan.lighting.proposals` — :func:`~geo.plan.lighting.proposals.propose_lamps`, new lamps by a
   maximal covering location problem (the solvers are in :mod:`~geo.plan.lighting.optimise`);
3. :mod:`~geo.plan.lighting.fixes` — :func:`~geo.plan.lighting.fixes.quick_fixes`, broken and part-night
   lamps near dark-time evidence: repair before building;
4. :mod:`~geo.plan.lighting.followup` — :func:`~geo.plan.lighting.followup.follow_up`, dark-time incidents
   before and after a change, against a comparison area.

:func:`geo.plan.lighting.plan.plan_lighting` runs steps 1-3 and returns a
:class:`~geo.plan.lighting.plan.LightingPlan`; how reports are recognised as dark-place or broken-lamp
reports is in :mod:`~geo.plan.lighting.words`.
"""
