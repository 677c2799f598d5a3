"""The Lambda image as AWS gets it, built with podman and opened for chroot, standard library only
(tests/lambda/lambda_image_test.py, bench/lambda_cold_start.py; docs/deploy.md).

- build_from_cdk: `cdk synth` of infra/ stages the image's build context as `cdk deploy` does
  (cdk.out/asset.<hash>); podman builds that directory (`--isolation chroot --network host`, its
  layer cache reused) on localhost/debian:12, which scripts/debian-base-image makes with debootstrap
  when the architecture's image is missing.
- mounted: the image's root file system (`podman image mount`), read-only, for the duration.
- Image.argv: its ENTRYPOINT + CMD, run by `chroot --userspec=65534:65534 ROOT` (unprivileged, as
  Lambda runs a function), and Image.env its Env.
"""
import contextlib
import dataclasses
import glob
import json
import os
import platform as host
import shutil
import subprocess
import time

ARCHES = {"x86_64": "amd64", "aarch64": "arm64"}
HOST_ARCH = ARCHES.get(host.machine(), host.machine())
QEMU = {"arm64": "qemu-aarch64", "amd64": "qemu-x86_64"}
UNPRIVILEGED = "65534:65534"


class BuildError(Exception):
    pass


@dataclasses.dataclass
class Image:
    id: str
    arch: str
    size: int
    entrypoint: list
    cmd: list
    env: dict
    working_dir: str

    @staticmethod
    def inspect(image_id):
        info = json.loads(_run(["podman", "image", "inspect", image_id]).stdout)[0]
        config = info["Config"]
        return Image(info["Id"], info["Architecture"], info["Size"], config.get("Entrypoint") or [],
                     config.get("Cmd") or [], dict(e.split("=", 1) for e in config.get("Env") or []),
                     config.get("WorkingDir") or "")

    def argv(self, root):
        """ENTRYPOINT + CMD in the image's root, as an unprivileged user (chroot starts in /)."""
        return ["chroot", f"--userspec={UNPRIVILEGED}", root, *self.entrypoint, *self.cmd]


def unusable_reason(source, arch):
    """Why the image cannot be built and run here, or None."""
    if os.geteuid() != 0:
        return "podman builds and chroot need root here (FACTS.md); run as root to build and run the image"
    for tool in ("podman", "chroot", "node"):
        if shutil.which(tool) is None:
            return f"{tool} not found (scripts/install-deps installs podman and debootstrap)"
    if not os.path.exists(_cdk(source)):
        return f"{_cdk(source)} missing: run scripts/install-deps (npm ci in infra)"
    have_base = subprocess.run(["podman", "image", "exists", f"localhost/debian:12-{arch}"]).returncode == 0
    if not have_base and shutil.which("debootstrap") is None:
        return "no localhost/debian:12 base image and no debootstrap to make one (scripts/install-deps installs it)"
    if arch != HOST_ARCH:
        qemu = f"/proc/sys/fs/binfmt_misc/{QEMU.get(arch, arch)}"
        if not os.path.exists(qemu) or "enabled" not in open(qemu).read():
            return (f"{arch} binaries cannot run here: {qemu} is not registered (scripts/enable-emulation {arch}; "
                    "docs/deploy.md, arm64)")
    return None


def build_from_cdk(source, work, platform, tag, say=print):
    """Base image, `cdk synth`, `podman build` of the staged asset; returns (Image, what was staged)."""
    arch = platform.split("/")[1]
    source, work = os.path.abspath(source), os.path.abspath(work)
    os.makedirs(work, exist_ok=True)

    started = time.monotonic()
    base = _run([os.path.join(source, "scripts", "debian-base-image"), "--arch", arch])
    say(f"base image: {' '.join(base.stdout.split())} ({time.monotonic() - started:.1f} s)")

    started = time.monotonic()
    staged = stage(source, os.path.join(work, "cdk.out"))
    say(f"cdk synth staged {staged['context']} ({staged['files']} files; {staged['dockerfile']}, asset platform "
        f"{staged['platform']}) ({time.monotonic() - started:.1f} s)")

    started = time.monotonic()
    log = os.path.join(work, f"podman-build-{arch}.log")
    iidfile = log + ".iid"
    with open(log, "w") as f:
        built = subprocess.run(["podman", "build", "--isolation", "chroot", "--network", "host", "--platform", platform,
                                "-f", staged["dockerfile"], "--iidfile", iidfile, "-t", tag, "."],
                               cwd=staged["context"], stdout=f, stderr=subprocess.STDOUT)
    with open(log) as f:
        text = f.read()
    if built.returncode != 0:
        raise BuildError(f"podman build: exit {built.returncode}:\n{text[-5000:]}")
    with open(iidfile) as f:
        image = Image.inspect(f.read().strip())
    say(f"podman build --platform {platform}: {image.id[:12]} ({tag}), {text.count('--> Using cache')} of "
        f"{text.count(' STEP ')} steps from the layer cache, log {log} ({time.monotonic() - started:.1f} s)")
    return image, staged


def stage(source, out):
    """The image's build context as `cdk deploy` stages it: its directory, Dockerfile and platform."""
    shutil.rmtree(out, ignore_errors=True)
    datasheet = os.path.join(source, "tests", "fixtures", "messy.csv")
    synth = subprocess.run([_cdk(source), "synth", "--no-notices", "-q", "-c", f"datasheet={datasheet}", "-o", out],
                           cwd=os.path.join(source, "infra"), capture_output=True, text=True)
    if synth.returncode != 0:
        raise BuildError(f"cdk synth: exit {synth.returncode}: {synth.stderr[-3000:]}")
    images = []
    for manifest in glob.glob(os.path.join(out, "*.assets.json")):
        with open(manifest) as f:
            images += [image["source"] for image in json.load(f).get("dockerImages", {}).values()]
    if len(images) != 1:
        raise BuildError(f"cdk synth staged {len(images)} images, not one: {images}")
    context = os.path.join(out, images[0]["directory"])
    dockerfile = images[0].get("dockerFile", "Dockerfile")
    if not os.path.isfile(os.path.join(context, dockerfile)):
        raise BuildError(f"{dockerfile} is not in the staged context {context}")
    return {"context": context, "dockerfile": dockerfile, "platform": images[0].get("platform"),
            "files": sum(len(files) for _, _, files in os.walk(context))}


@contextlib.contextmanager
def mounted(image):
    root = _run(["podman", "image", "mount", image.id]).stdout.strip()
    try:
        yield root
    finally:
        subprocess.run(["podman", "image", "unmount", image.id], capture_output=True)


def _cdk(source):
    return os.path.join(source, "infra", "node_modules", ".bin", "cdk")


def _run(argv):
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"{' '.join(argv)}: exit {done.returncode}: {done.stdout}{done.stderr}")
    return done
