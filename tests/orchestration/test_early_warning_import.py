"""The early-warning step imports what its fit needs (scikit-learn, a second or more) beside its
reads, in a thread of its own, instead of after them."""

import inspect
import sys
import threading

from orchestration.assets.early_warning import FIT_MODULE, import_meanwhile
from transforms.early_warning import fit_patterns


def test_the_module_is_imported_in_a_thread_of_its_own(tmp_path, monkeypatch):
    (tmp_path / "riskpack_import_probe.py").write_text(
        "import threading\nIMPORTED_BY = threading.current_thread()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "riskpack_import_probe", raising=False)
    thread = import_meanwhile("riskpack_import_probe")
    thread.join(timeout=60)
    module = sys.modules.pop("riskpack_import_probe")
    assert module.IMPORTED_BY is thread
    assert thread is not threading.main_thread()


def test_it_is_the_module_the_fit_imports():
    assert f"from {FIT_MODULE} import LogisticRegression" in inspect.getsource(fit_patterns)
