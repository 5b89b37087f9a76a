"""Continue a Backbone Lab run in PyTorch.

Run from a ScaledYOLOv4 checkout (branch yolov4-large) to which the seed's resLayer/seresLayer were added:

    python load_lab_weights.py --cfg yolov4-resnet50.yaml --weights weights.safetensors --data data.yaml --out lab.pt

It builds models.yolo.Model from the YAML, loads the lab's safetensors (PyTorch state_dict names, OIHW conv
weights, float32) into it, checks that every parameter and BN statistic was filled, and saves a checkpoint that
ScaledYOLOv4's train.py accepts as --weights (epoch -1, so training starts at epoch 0 from these weights).
Only torch and numpy are needed: the safetensors file is read directly (an 8-byte little-endian header length,
a JSON header of name -> dtype/shape/byte range, then the raw tensor bytes).
"""
import argparse
import json
import struct

import numpy as np
import torch

SAFETENSORS_DTYPES = {
    'F64': np.float64, 'F32': np.float32, 'F16': np.float16,
    'I64': np.int64, 'I32': np.int32, 'I16': np.int16, 'I8': np.int8, 'U8': np.uint8, 'BOOL': np.bool_,
}

# Buffers the lab does not export: ScaledYOLOv4 rebuilds them from the YAML (anchors) or counts them itself.
REBUILT_BY_MODEL = ('anchors', 'anchor_grid', 'num_batches_tracked')


def read_safetensors(path):
    """name -> torch.Tensor, from a .safetensors file."""
    with open(path, 'rb') as f:
        (header_len,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(header_len))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        start, end = info['data_offsets']
        array = np.frombuffer(data[start:end], dtype=SAFETENSORS_DTYPES[info['dtype']]).reshape(info['shape'])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def load_into(model, state_dict):
    """Loads with shape checks; raises if anything the model trains or tracks was left out."""
    own = model.state_dict()
    bad_shapes = [k for k, v in state_dict.items() if k in own and own[k].shape != v.shape]
    if bad_shapes:
        raise SystemExit('shape mismatch (is --cfg the YAML of this bundle?): ' + ', '.join(bad_shapes[:10]))
    missing, unexpected = model.load_state_dict(state_dict, strict=False)
    missing = [k for k in missing if not k.endswith(REBUILT_BY_MODEL)]
    if missing or unexpected:
        raise SystemExit(f'missing: {missing[:10]} unexpected: {unexpected[:10]}')
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--cfg', required=True, help='the model YAML of this bundle')
    parser.add_argument('--weights', default='weights.safetensors')
    parser.add_argument('--data', default='data.yaml')
    parser.add_argument('--out', default='lab.pt')
    args = parser.parse_args()

    import yaml
    from models.yolo import Model  # from the ScaledYOLOv4 checkout

    with open(args.data) as f:
        nc = int(yaml.safe_load(f)['nc'])
    model = load_into(Model(args.cfg, ch=3, nc=nc), read_safetensors(args.weights))
    torch.save({'epoch': -1, 'best_fitness': None, 'training_results': None, 'model': model, 'optimizer': None},
               args.out)
    print(f'wrote {args.out}: {sum(p.numel() for p in model.parameters()):,} parameters')


if __name__ == '__main__':
    main()
