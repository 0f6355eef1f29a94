from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from .factories import PDF_BYTES, CallFactory

PDF = PDF_BYTES  # a real one-page PDF, for the tests that post files


@pytest.fixture(autouse=True)
def no_clamd_by_default(settings):
    """Without a clamd of its own, a test sees files « en attente d'analyse »."""
    settings.CLAMAV_SOCKET = ""


@pytest.fixture
def call(content):
    return CallFactory()


def valid_data(**overrides):
    """A complete, valid application form for an association (without files)."""
    from contrat_ville.models import Pillar
    from quartiers.models import Quartier

    start = timezone.localdate() + timedelta(days=30)
    data = {
        "porteur_kind": "association",
        "organisation_name": "Association Vivre ensemble",
        "rna": "W522001234",
        "siret": "",
        "residents_count": "",
        "first_name": "Camille",
        "last_name": "Martin",
        "role": "Présidente",
        "email": "camille@example.org",
        "phone": "06 12 34 56 78",
        "address": "3 rue des Tulipes, 52200 Langres",
        "title": "Jardin partagé",
        "summary": "Des bacs de culture pour les familles du quartier.",
        "description": "Quatre bacs et des ateliers de jardinage.",
        "objectives": "Créer du lien entre voisins.",
        "audience": "Familles du quartier",
        "participants_count": "30",
        "quartier": str(Quartier.objects.first().pk),
        "place": "Pied des immeubles",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=30)).isoformat(),
        "pillar": str(Pillar.objects.first().pk),
        "depenses-TOTAL_FORMS": "6",
        "depenses-INITIAL_FORMS": "0",
        "depenses-0-label": "Bacs de culture",
        "depenses-0-amount": "900,50",
        "depenses-1-label": "Terreau",
        "depenses-1-amount": "100",
        "ressources-TOTAL_FORMS": "4",
        "ressources-INITIAL_FORMS": "0",
        "ressources-0-label": "Apport de l’association",
        "ressources-0-amount": "200,50",
        "amount_requested": "800",
        "website": "",
        "action": "recap",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """A real clamd on a unix socket, with a one-line signature database for the EICAR test file (offline)."""
    import shutil
    import socket
    import subprocess
    import time

    clamd, sigtool = shutil.which("clamd") or "/usr/sbin/clamd", shutil.which("sigtool")
    assert sigtool and Path(clamd).exists(), "ClamAV est nécessaire : apt-get install clamav-daemon"
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "eicar.txt").write_bytes(EICAR)
    signature = subprocess.run(
        [sigtool, "--md5", "eicar.txt"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout
    (folder / "db" / "test.hdb").write_text(signature)
    sock = folder / "clamd.sock"
    (folder / "clamd.conf").write_text(
        f"LocalSocket {sock}\nDatabaseDirectory {folder / 'db'}\nForeground yes\nLogFile {folder / 'clamd.log'}\n"
        f"PidFile {folder / 'clamd.pid'}\nStreamMaxLength 10M\n"
    )
    process = subprocess.Popen([clamd, "--config-file", str(folder / "clamd.conf")], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.socket(socket.AF_UNIX) as client:
                    client.connect(str(sock))
                    client.sendall(b"zPING\0")
                    if client.recv(16).startswith(b"PONG"):
                        break
            except OSError:
                pass
            assert process.poll() is None, (
                (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
            )
            assert time.monotonic() < deadline, "clamd n’a pas démarré en 60 s"
            time.sleep(0.2)
        yield str(sock)
    finally:
        process.terminate()
        process.wait(timeout=10)
