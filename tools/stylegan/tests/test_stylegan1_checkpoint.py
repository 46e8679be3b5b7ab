"""StyleGAN1 converter: checkpoint validation by key name, wAvg sources, DatasetGAN's tap layout, CLI."""
import json
import os

import numpy as np
import pytest
import torch

from bundle_writer import BundleError, compute_w_avg
from stylegan1 import (convert_stylegan1, datasetgan_block_channels, datasetgan_truncation_cutoff, main,
                       stylegan1_features)
from stylegan1_arch import build_stylegan1
from stylegan1_checkpoint import default_blur_kernel, parse_stylegan1_state_dict
from test_stylegan1_parity import make_reference


@pytest.fixture(scope="module")
def small_sd():
    """A 32² DatasetGAN-layout state dict (blocks 4..32 with 16, 16, 8, 4 channels; z = w = 16)."""
    g_all = make_reference(resolution=32, fmap_base=64, fmap_max=16, z_dim=16, w_dim=16, max_layer=8)
    return {k: v.clone() for k, v in g_all.state_dict().items()}


def one_sentence(msg):
    return msg.count(". ") == 0 and msg.endswith(".")


@pytest.mark.parametrize("resolution,dims,first,last", [
    (256, 4992, "f00_4_epi2", "f13_256_conv1"),
    (512, 5056, "f00_4_epi2", "f15_512_conv1"),
    (1024, 5088, "f00_4_epi2", "f17_1024_conv1"),
])
def test_datasetgan_configs_give_the_dims_of_its_experiment_files(resolution, dims, first, last):
    feats = stylegan1_features(datasetgan_block_channels(resolution))
    assert sum(f["channels"] for f in feats) == dims
    assert feats[0]["name"] == first and feats[-1]["name"] == last
    assert feats[1] == {"name": "f01_4_conv", "channels": 512, "resolution": 4, "layer": "g_synthesis.blocks.4x4.conv"}
    assert [f["channels"] for f in feats[8:]] == [c for c in (256, 128, 64, 32, 16) for _ in range(2)][: len(feats) - 8]


def test_truncation_cutoff_follows_datasetgan():
    assert datasetgan_truncation_cutoff(256, 14) == 7  # cat, bedroom
    assert datasetgan_truncation_cutoff(512, 16) == 8  # car
    assert datasetgan_truncation_cutoff(1024, 18) == 8  # face
    assert datasetgan_truncation_cutoff(8, 4) == 4


def test_parse_reads_structure_from_keys(small_sd):
    w = parse_stylegan1_state_dict(small_sd)
    assert (w.z_dim, w.w_dim, w.resolution, w.num_ws) == (16, 16, 32, 8)
    assert [(b.resolution, b.in_channels, b.channels) for b in w.blocks] == [(4, 16, 16), (8, 16, 16), (16, 16, 8), (32, 8, 4)]
    assert len(w.mapping_weights) == 8 and w.avg_latent is not None
    torch.testing.assert_close(w.blocks[1].blur_kernel, default_blur_kernel())


def test_dataparallel_prefix_and_missing_blur_buffers_are_accepted(small_sd):
    sd = {"module." + k: v for k, v in small_sd.items() if not k.endswith("intermediate.kernel")}
    w = parse_stylegan1_state_dict(sd)
    torch.testing.assert_close(w.blocks[2].blur_kernel, default_blur_kernel())


def test_missing_key_is_refused_with_a_sentence_naming_it(small_sd):
    sd = dict(small_sd)
    del sd["g_synthesis.blocks.16x16.epi2.style_mod.lin.bias"]
    with pytest.raises(BundleError) as e:
        parse_stylegan1_state_dict(sd)
    assert "g_synthesis.blocks.16x16.epi2.style_mod.lin.bias" in str(e.value) and one_sentence(str(e.value))


def test_unknown_key_is_refused_with_a_sentence_naming_it(small_sd):
    sd = dict(small_sd, **{"g_synthesis.seg_block.seg_out.weight": torch.zeros(34, 4, 1, 1)})
    with pytest.raises(BundleError) as e:
        parse_stylegan1_state_dict(sd)
    assert "seg_block.seg_out.weight" in str(e.value) and one_sentence(str(e.value))


def test_wrong_shape_is_refused(small_sd):
    sd = dict(small_sd)
    sd["g_synthesis.blocks.16x16.conv1.weight"] = torch.zeros(8, 8, 1, 1)
    with pytest.raises(BundleError, match=r"conv1\.weight has shape \[8, 8, 1, 1\] but \[8, 8, 3, 3\]"):
        parse_stylegan1_state_dict(sd)


def test_other_generators_are_refused():
    with pytest.raises(BundleError, match="no g_mapping.dense0.weight"):
        parse_stylegan1_state_dict({"style.1.weight": torch.zeros(4, 4)})  # rosinality StyleGAN2
    with pytest.raises(BundleError, match="4x4, 8x8"):
        parse_stylegan1_state_dict({"g_mapping.dense0.weight": torch.zeros(4, 4),
                                    "g_synthesis.blocks.8x8.conv1.weight": torch.zeros(4, 4, 3, 3)})


def test_unreadable_files_are_refused(tmp_path):
    bad = tmp_path / "notes.pt"
    bad.write_text("not a checkpoint")
    with pytest.raises(BundleError, match="could not be read as a PyTorch checkpoint"):
        convert_stylegan1(str(bad), str(tmp_path / "out"))
    nested = tmp_path / "nested.pt"
    torch.save({"g_ema": {"a": torch.zeros(1)}}, nested)
    with pytest.raises(BundleError, match="not a flat state dict"):
        convert_stylegan1(str(nested), str(tmp_path / "out"))
    with pytest.raises(BundleError, match="does not exist"):
        convert_stylegan1(str(tmp_path / "missing.pt"), str(tmp_path / "out"))


def test_w_avg_from_datasetgan_npy_overrides_and_must_have_equal_rows(small_sd, tmp_path):
    row = np.random.RandomState(0).randn(16).astype(np.float32)
    npy = tmp_path / "avg_latent_stylegan1.npy"
    np.save(npy, np.repeat(row[None], 18, axis=0))
    m = convert_stylegan1(None, str(tmp_path / "b"), state_dict=small_sd, avg_latent=str(npy), truncation_cutoff=6)
    np.testing.assert_array_equal(np.asarray(m["wAvg"], np.float32), row)
    assert m["truncationCutoff"] == 6 and "given average latent" in m["source"]["notes"]
    np.save(npy, np.random.RandomState(1).randn(18, 16))
    with pytest.raises(BundleError, match="different rows"):
        convert_stylegan1(None, str(tmp_path / "c"), state_dict=small_sd, avg_latent=str(npy))
    with pytest.raises(BundleError, match="outside 1..8"):
        convert_stylegan1(None, str(tmp_path / "d"), state_dict=small_sd, truncation_cutoff=9)


def test_w_avg_is_computed_when_the_checkpoint_has_none(small_sd, tmp_path):
    sd = {k: v for k, v in small_sd.items() if k != "truncation.avg_latent"}
    m = convert_stylegan1(None, str(tmp_path / "b"), state_dict=sd, w_avg_samples=500, w_avg_seed=3)
    mapping, _ = build_stylegan1(parse_stylegan1_state_dict(sd))
    assert m["wAvg"] == compute_w_avg(mapping, 16, n=500, seed=3)
    # …and it is the mean of DatasetGAN's own mapping over the same z.
    ref = make_reference(resolution=32, fmap_base=64, fmap_max=16, z_dim=16, w_dim=16)
    z = torch.randn(500, 16, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        expected = ref.g_mapping(z)[:, 0].double().mean(0).numpy()
    assert np.abs(np.asarray(m["wAvg"]) - expected).max() < 1e-5
    assert "mean of mapping(z) over 500 z" in m["source"]["notes"]


def test_cli_writes_a_bundle_or_prints_one_sentence(small_sd, tmp_path, capsys):
    ckpt = tmp_path / "karras2019stylegan-tiny-32x32.for_g_all.pt"
    torch.save(small_sd, ckpt, _use_new_zipfile_serialization=False)  # 2019-era files use the legacy format
    assert main([str(ckpt), str(tmp_path / "tiny.dgsmodel"), "--psi", "0.5"]) == 0
    manifest = json.loads((tmp_path / "tiny.dgsmodel" / "manifest.json").read_text())
    assert manifest["name"] == "karras2019stylegan-tiny-32x32" and manifest["defaultPsi"] == 0.5
    assert manifest["architecture"] == "stylegan1" and manifest["imageRange"] == [-1.0, 1.0]
    assert "wrote" in capsys.readouterr().out
    torch.save({"style.1.weight": torch.zeros(2, 2)}, tmp_path / "sg2.pt")
    assert main([str(tmp_path / "sg2.pt"), str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err.strip()
    assert "not a StyleGAN1 generator" in err and "\n" not in err


class _RunsCode:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_a_checkpoint_that_would_run_code_is_refused(tmp_path):
    evil = tmp_path / "evil.for_g_all.pt"
    torch.save({"g_mapping.dense0.weight": torch.zeros(2, 2), "x": _RunsCode()}, evil)
    with pytest.raises(BundleError, match="would run code"):
        convert_stylegan1(str(evil), str(tmp_path / "out"))
