"""``fazhi links …``: validate the link passes, measure agreement, evaluate and run the linker."""

from __future__ import annotations

import json
from pathlib import Path

import typer

app = typer.Typer(help="Normalised entities: metric ids for INDICATOR, body types for AGENCY.", no_args_is_help=True)

_BOOTSTRAP = typer.Option(2000, "--bootstrap", min=0, help="Bootstrap resamples for the 95% intervals.")
_CHECK = typer.Option(False, "--check", help="Fail when the committed output is stale; write nothing.")


@app.command("check")
def check_cmd() -> None:
    """Validate the taxonomy and every link folder (pass1, pass2, gold) against the span gold."""
    from fazhi_ner.links.store import PASSES, load_links
    from fazhi_ner.links.taxonomy import links_dir, load_taxonomy

    taxonomy = load_taxonomy()
    typer.echo(
        f"taxonomy: {len(taxonomy.metrics)} metric ids in {len(taxonomy.domains)} domains, "
        f"{len(taxonomy.body_types)} body types"
    )
    for name in PASSES:
        if name != "gold" and not (links_dir() / name).is_dir():
            continue
        links = load_links(name)
        typer.echo(f"{name}: {sum(len(v) for v in links.values())} links in {len(links)} reports, valid")
    gold = load_links("gold")
    from fazhi_ner.gold import load_gold

    missing = sorted(set(load_gold()) - set(gold))
    if missing:
        from fazhi_ner.errors import LinkError

        raise LinkError(f"{links_dir() / 'gold'}: report {missing[0]!r} expected a link gold file, found none")
    typer.echo("link gold covers every INDICATOR and AGENCY span of the span gold")
    from fazhi_ner.links.synthetic_links import load_synthetic_links

    synthetic = load_synthetic_links()
    typer.echo(f"synthetic: {sum(len(v) for v in synthetic.values())} links in {len(synthetic)} documents, valid")


@app.command("stats")
def stats_cmd() -> None:
    """Print how many INDICATORs are linked to a metric id (not ``other``) and how many AGENCYs are typed."""
    from fazhi_ner.links.summary import link_stats

    stats = link_stats()
    typer.echo(json.dumps(stats, ensure_ascii=False, indent=2, sort_keys=True))


@app.command("agreement")
def agreement_cmd(bootstrap: int = _BOOTSTRAP, check: bool = _CHECK) -> None:
    """Compare pass1 and pass2: accuracy and Cohen's kappa with bootstrap CIs (annotation/links/agreement.*)."""
    from fazhi_ner.links.agreement import run
    from fazhi_ner.stats import format_ci

    result = run(resamples=bootstrap, check=check)
    for name, s in (("INDICATOR", result.INDICATOR), ("AGENCY", result.AGENCY), ("all", result.all)):
        typer.echo(
            f"{name}\tn={s.n}\taccuracy={s.accuracy:.3f} {format_ci(s.accuracy_ci)}\tkappa={s.kappa:.3f} {format_ci(s.kappa_ci)}"
        )
    typer.echo("agreement files are up to date" if check else "wrote annotation/links/agreement.json and agreement.md")


@app.command("evaluate")
def evaluate_cmd(
    bootstrap: int = _BOOTSTRAP,
    check: bool = _CHECK,
    train: list[str] = typer.Option(
        ["gold", "synthetic"], "--train", help="Training sources: gold (always), synthetic (its links, if made)."
    ),
) -> None:
    """LODO accuracy of the link baseline against the link gold (eval/links/lodo.*)."""
    from fazhi_ner.links.evaluate import run
    from fazhi_ner.stats import format_ci

    result = run(resamples=bootstrap, check=check, sources=tuple(train))
    for name, s in (("INDICATOR", result.INDICATOR), ("AGENCY", result.AGENCY)):
        typer.echo(
            f"{name}\tn={s.n}\taccuracy={s.accuracy:.3f} {format_ci(s.accuracy_ci)}\tkappa={s.kappa:.3f} {format_ci(s.kappa_ci)}"
        )
    syn = result.synthetic
    if syn:
        views = (
            (syn.INDICATOR_cv, "INDICATOR (grouped CV)"),
            (syn.AGENCY, "AGENCY (grouped CV)"),
            (syn.INDICATOR, "INDICATOR (real gold only)"),
            (syn.AGENCY_rules, "AGENCY (rules)"),
        )
        for s, name in views:
            typer.echo(f"synthetic {name}\tn={s.n}\taccuracy={s.accuracy:.3f} {format_ci(s.accuracy_ci)}")
    else:
        typer.echo("synthetic corpus: no links yet (fazhi links synthetic-export / synthetic-import)")
    typer.echo("linker evaluation is up to date" if check else "wrote eval/links/lodo.json and lodo.md")


@app.command("blank")
def blank_cmd(
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the blank link files (input of a link pass)."),
    doc: list[str] = typer.Option(None, "--doc", help="Report id; repeat for several (default: all)."),
    force: bool = typer.Option(False, "--force", help="Replace existing files in --out."),
) -> None:
    """Write link files with an empty link column for the given reports (the input of an independent pass)."""
    from fazhi_ner.links.passes import write_blank

    for path in write_blank(out, doc or None, force=force):
        typer.echo(f"wrote {path}")


@app.command("predict")
def predict_cmd(
    text: Path | None = typer.Option(None, "--text", help="The report text (UTF-8) document offsets point into."),
    spans: Path = typer.Option(..., "--spans", help="JSONL: spans {start, end, label} or `fazhi tag` sentence rows."),
) -> None:
    """Link the INDICATOR/AGENCY spans of a tagged report; prints one JSON line per span."""
    from fazhi_ner.links.passes import predict_file

    for row in predict_file(text, spans):
        typer.echo(json.dumps(row, ensure_ascii=False, sort_keys=True))


@app.command("unblind")
def unblind_cmd(
    key: Path = typer.Option(..., "--key", help="The blinding key (item, batch, doc_id, start, end, label)."),
    batches: Path = typer.Option(..., "--batches", help="Folder with the filled batch files named in the key."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for one link file per report."),
    force: bool = typer.Option(False, "--force", help="Replace existing link files in --out."),
) -> None:
    """Map a blinded link pass (shuffled items, random ids) back to one link file per report."""
    from fazhi_ner.links.passes import unblind

    for path in unblind(key, batches, out, force=force):
        typer.echo(f"wrote {path}")


@app.command("synthetic-export")
def synthetic_export_cmd(
    out: Path = typer.Option(..., "--out", "-o", help="Folder for one blank link sheet per synthetic document."),
    doc: list[str] = typer.Option(None, "--doc", help="Synthetic document id; repeat for several (default: all)."),
    force: bool = typer.Option(False, "--force", help="Replace existing sheets in --out."),
) -> None:
    """Write blank link sheets (span_id, label, text, sentence, link, reason) for the synthetic corpus."""
    from fazhi_ner.links.synthetic_links import export_sheets

    paths = export_sheets(out, doc or None, force=force)
    typer.echo(f"wrote {len(paths)} blank sheets to {out}")


@app.command("synthetic-import")
def synthetic_import_cmd(
    sheets: list[Path] = typer.Argument(..., help="Filled sheets (<doc_id>.tsv) or folders of them."),
    force: bool = typer.Option(False, "--force", help="Replace existing link files in annotation/synthetic/links/."),
    check: bool = typer.Option(False, "--check", help="Only validate the sheets; write nothing."),
) -> None:
    """Validate filled link sheets against the gold and the taxonomy; write annotation/synthetic/links/*.tsv."""
    from fazhi_ner.links.synthetic_links import import_sheets

    paths = import_sheets(sheets, force=force, check=check)
    if check:
        typer.echo(f"{len(paths)} sheets valid; nothing written")
        return
    for path in paths:
        typer.echo(f"wrote {path}")


@app.command("coverage")
def coverage_cmd() -> None:
    """Share of the linked synthetic INDICATORs the taxonomy leaves as ``other`` (target at most 5%): the first
    pass under taxonomy v3 (independent of the taxonomy) and the current links (taxonomy v4, not independent)."""
    from fazhi_ner.links.synthetic_links import coverage, first_pass_links

    report = {"first_pass_taxonomy_v3": coverage(first_pass_links()).as_dict(), "current": coverage().as_dict()}
    typer.echo(json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True))
