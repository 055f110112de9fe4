"""Fixed document-level splits and leave-one-document-out folds.

Whole reports go to one split, so no sentence of a report is in two splits. With five reports
the assignment is a decision, not a random draw; the reason is written here and in the card.
"""

from __future__ import annotations

from fazhi_ner.errors import DatasetError

SPLITS: dict[str, str] = {
    "gaotai-2022": "train",
    "jianghai-2022": "train",
    "heishui-2022": "train",
    "alashan-hitech-2022": "validation",
    "xianju-2023": "test",
}
SPLIT_NAMES: tuple[str, ...] = ("train", "validation", "test")
SPLIT_REASON = (
    "Whole reports are assigned to splits, so no report leaks across them. The test report is Xianju 2023: "
    "it is one of the two reports annotated twice and adjudicated, so its gold is the most reliable part of the "
    "corpus; it is the largest report; and it is the only report of 2023 and the only one from Zhejiang, so the "
    "test score measures transfer to a new year and region. The development-zone report (Alashan high-tech zone) "
    "is the validation set, for model selection. The other three reports (Gaotai, Jianghai, Heishui: two counties "
    "and a district) train. The assignment was fixed before any system was scored (it replaced an earlier choice "
    "of Jianghai as test, whose 63 gold spans would have given very wide confidence intervals)."
)
# Leave-one-document-out cross-validation: fold k holds out the k-th report in manifest order.
FOLD_ORDER: tuple[str, ...] = (
    "gaotai-2022",
    "jianghai-2022",
    "xianju-2023",
    "heishui-2022",
    "alashan-hitech-2022",
)


# Reports added with `fazhi ingest` have ids starting with USER_PREFIX. They are extra TRAIN documents: never
# test or validation (so the test split and its fingerprint cannot change by ingesting), and never held out in
# cross-validation (fold USER_FOLD), so they join the training side of every fold.
USER_PREFIX = "user-"
USER_SPLIT = "train"
USER_FOLD = -1


def is_user_document(doc_id: str) -> bool:
    return doc_id.startswith(USER_PREFIX) and doc_id not in SPLITS


def split_of(doc_id: str) -> str:
    if is_user_document(doc_id):
        return USER_SPLIT
    try:
        return SPLITS[doc_id]
    except KeyError:
        raise DatasetError(f"document {doc_id!r} has no split assignment in fazhi_ner.splits.SPLITS") from None


def fold_of(doc_id: str) -> int:
    """The cross-validation fold (0-4) in which ``doc_id`` is the held-out document (-1: a user report, never)."""
    if is_user_document(doc_id):
        return USER_FOLD
    try:
        return FOLD_ORDER.index(doc_id)
    except ValueError:
        raise DatasetError(f"document {doc_id!r} has no fold in fazhi_ner.splits.FOLD_ORDER") from None


def check_split_name(split: str) -> str:
    if split not in SPLIT_NAMES:
        raise DatasetError(f"unknown split {split!r}; expected one of {', '.join(SPLIT_NAMES)}")
    return split
