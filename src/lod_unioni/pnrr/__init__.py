"""The PNRR figures of PA digitale 2026 (the funded applications of comuni and unions), computed
once, in :mod:`lod_unioni.pnrr.indicators`, for the build (the indicators published in the dumps)
and for ``lod-unioni checkup`` alike; :mod:`lod_unioni.pnrr.inputs` makes their inputs from a
record with its projects."""
