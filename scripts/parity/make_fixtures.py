#!/usr/bin/python3
"""PyTorch parity fixtures for the model zoo (tests/unit/model/parity.test.ts).

Our own re-statement of ScaledYOLOv4's modules (yolov4-large branch, models/common.py + models/yolo.py) and of the
seed's resLayer/seresLayer (torchvision Bottleneck for resLayer: stride and groups on the 3x3). Needs only torch and
numpy (run with /usr/bin/python3, which has torch 1.13 here). For each of the four families it builds a tiny config,
randomises the weights and BN statistics, and writes to tests/fixtures/parity/:

  <family>.yaml                 the tiny model YAML (same rows as public/models, small width and depth)
  <family>.weights.safetensors  the state_dict (OIHW, anchors, anchor_grid, num_batches_tracked)
  <family>.io.safetensors       images [2,3,64,64]; eval.p3/p4/p5; train.p3/p4/p5; train.<buffer> running stats
                                after one train-mode forward; grad.r3/r4/r5 and grad.<param>: the train-mode
                                gradients of sum_l sum(p_l * r_l)

Usage: /usr/bin/python3 scripts/parity/make_fixtures.py [out_dir]
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------- modules (ScaledYOLOv4 yolov4-large, the seed)


class Mish(nn.Module):
    def forward(self, x):
        return x * torch.tanh(F.softplus(x))


def autopad(k, p=None):
    return k // 2 if p is None else p


class Conv(nn.Module):
    def __init__(self, c1, c2, k=1, s=1, p=None, g=1, act=True):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, autopad(k, p), groups=g, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = Mish() if act else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c_, c2, 3, 1, g=g)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        return x + self.cv2(self.cv1(x)) if self.add else self.cv2(self.cv1(x))


class BottleneckCSP(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = nn.Conv2d(c1, c_, 1, 1, bias=False)
        self.cv3 = nn.Conv2d(c_, c_, 1, 1, bias=False)
        self.cv4 = Conv(2 * c_, c2, 1, 1)
        self.bn = nn.BatchNorm2d(2 * c_)
        self.act = Mish()
        self.m = nn.Sequential(*[Bottleneck(c_, c_, shortcut, g, e=1.0) for _ in range(n)])

    def forward(self, x):
        y1 = self.cv3(self.m(self.cv1(x)))
        y2 = self.cv2(x)
        return self.cv4(self.act(self.bn(torch.cat((y1, y2), dim=1))))


class BottleneckCSP2(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False, g=1, e=0.5):
        super().__init__()
        c_ = int(c2)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = nn.Conv2d(c_, c_, 1, 1, bias=False)
        self.cv3 = Conv(2 * c_, c2, 1, 1)
        self.bn = nn.BatchNorm2d(2 * c_)
        self.act = Mish()
        self.m = nn.Sequential(*[Bottleneck(c_, c_, shortcut, g, e=1.0) for _ in range(n)])

    def forward(self, x):
        x1 = self.cv1(x)
        y1 = self.m(x1)
        y2 = self.cv2(x1)
        return self.cv3(self.act(self.bn(torch.cat((y1, y2), dim=1))))


class SPPCSP(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False, g=1, e=0.5, k=(5, 9, 13)):
        super().__init__()
        c_ = int(2 * c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = nn.Conv2d(c1, c_, 1, 1, bias=False)
        self.cv3 = Conv(c_, c_, 3, 1)
        self.cv4 = Conv(c_, c_, 1, 1)
        self.m = nn.ModuleList([nn.MaxPool2d(kernel_size=x, stride=1, padding=x // 2) for x in k])
        self.cv5 = Conv(4 * c_, c_, 1, 1)
        self.cv6 = Conv(c_, c_, 3, 1)
        self.bn = nn.BatchNorm2d(2 * c_)
        self.act = Mish()
        self.cv7 = Conv(2 * c_, c2, 1, 1)

    def forward(self, x):
        x1 = self.cv4(self.cv3(self.cv1(x)))
        y1 = self.cv6(self.cv5(torch.cat([x1] + [m(x1) for m in self.m], 1)))
        y2 = self.cv2(x)
        return self.cv7(self.act(self.bn(torch.cat((y1, y2), dim=1))))


class Concat(nn.Module):
    def __init__(self, dimension=1):
        super().__init__()
        self.d = dimension

    def forward(self, x):
        return torch.cat(x, self.d)


class Detect(nn.Module):
    def __init__(self, nc, anchors, ch):
        super().__init__()
        self.nc, self.no, self.nl, self.na = nc, nc + 5, len(anchors), len(anchors[0]) // 2
        a = torch.tensor(anchors).float().view(self.nl, -1, 2)
        self.register_buffer('anchors', a)
        self.register_buffer('anchor_grid', a.clone().view(self.nl, 1, -1, 1, 1, 2))
        self.m = nn.ModuleList(nn.Conv2d(x, self.no * self.na, 1) for x in ch)

    def forward(self, xs):
        out = []
        for i, x in enumerate(xs):
            y = self.m[i](x)
            bs, _, ny, nx = y.shape
            out.append(y.view(bs, self.na, self.no, ny, nx).permute(0, 1, 3, 4, 2).contiguous())
        return out


def conv3x3(cin, cout, stride=1, groups=1):
    return nn.Conv2d(cin, cout, 3, stride, 1, groups=groups, bias=False)


def conv1x1(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 1, stride, bias=False)


class resBottleneck(nn.Module):
    """torchvision's Bottleneck: stride and groups on the 3x3 conv."""
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, groups=1, base_width=64, downsample=False):
        super().__init__()
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = conv3x3(width, width, stride, groups)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = nn.Sequential(conv1x1(inplanes, planes * 4, stride), nn.BatchNorm2d(planes * 4)) if downsample else None

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class seBlock(nn.Module):
    def __init__(self, channels, reduction=16):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.conv1 = nn.Conv2d(channels, channels // reduction, kernel_size=1, padding=0)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(channels // reduction, channels, kernel_size=1, padding=0)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return x * self.sigmoid(self.conv2(self.relu(self.conv1(self.avg_pool(x)))))


class seresBottleneck(nn.Module):
    """The seed's block: stride on conv1 (1x1), no groups on the 3x3, SE on bn3's output."""
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, groups=1, base_width=64, downsample=False):
        super().__init__()
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = conv1x1(inplanes, width, stride)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = conv3x3(width, width)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.se = seBlock(channels=planes * 4, reduction=16)
        self.downsample = nn.Sequential(conv1x1(inplanes, planes * 4, stride), nn.BatchNorm2d(planes * 4)) if downsample else None

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.se(self.bn3(self.conv3(out)))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


def make_res_layer(block):
    class Layer(nn.Module):
        def __init__(self, c1, c2, n=1, s=1, g=1, w=64, downsample=False):
            super().__init__()
            blocks = [block(c1, c2, s, g, w, downsample)]
            for _ in range(n - 1):
                blocks.append(block(c2 * 4, c2, 1, g, w))
            self.layers = nn.Sequential(*blocks)

        def forward(self, x):
            return self.layers(x)
    return Layer


resLayer = make_res_layer(resBottleneck)
seresLayer = make_res_layer(seresBottleneck)

MODULES = {
    'Conv': Conv, 'Bottleneck': Bottleneck, 'BottleneckCSP': BottleneckCSP, 'BottleneckCSP2': BottleneckCSP2,
    'SPPCSP': SPPCSP, 'Concat': Concat, 'Detect': Detect, 'nn.Upsample': nn.Upsample, 'nn.Conv2d': nn.Conv2d,
    'nn.BatchNorm2d': nn.BatchNorm2d, 'nn.ReLU': nn.ReLU, 'nn.MaxPool2d': nn.MaxPool2d,
    'resLayer': resLayer, 'seresLayer': seresLayer,
}


def make_divisible(x, divisor=8):
    return math.ceil(x / divisor) * divisor


def parse_model(d, ch=3):
    """ScaledYOLOv4's parse_model with the seed's resLayer branch; ch[f] is simply the channels of layer f."""
    anchors, nc, gd, gw = d['anchors'], d['nc'], d['depth_multiple'], d['width_multiple']
    no = (len(anchors[0]) // 2) * (nc + 5)
    layers, save, chs = [], [], []
    channels_of = lambda f, i: ch if (f == -1 and i == 0) else chs[f if f >= 0 else i + f]
    for i, (f, n, m, args) in enumerate(d['backbone'] + d['head']):
        mod = MODULES[m]
        args = [nc if a == 'nc' else anchors if a == 'anchors' else None if a == 'None' else a for a in args]
        n = max(round(n * gd), 1) if n > 1 else n
        if m in ('nn.Conv2d', 'Conv', 'Bottleneck', 'BottleneckCSP', 'BottleneckCSP2', 'SPPCSP'):
            c1, c2 = channels_of(f, i), args[0]
            c2 = make_divisible(c2 * gw, 8) if c2 != no else c2
            args = [c1, c2, *args[1:]]
            if m in ('BottleneckCSP', 'BottleneckCSP2', 'SPPCSP'):
                args.insert(2, n)
                n = 1
        elif m in ('resLayer', 'seresLayer'):
            c1, c2 = channels_of(f, i), make_divisible(args[0] * gw, 8)
            args = [c1, c2, n, *args[1:]]
            m_ = mod(*args)
            c2 *= 4
        elif m == 'nn.BatchNorm2d':
            args = [channels_of(f, i)]
            c2 = args[0]
        elif m == 'Concat':
            c2 = sum(channels_of(x, i) for x in f)
        elif m == 'Detect':
            args.append([channels_of(x, i) for x in f])
        else:
            c2 = channels_of(f, i)
        if m not in ('resLayer', 'seresLayer'):
            m_ = nn.Sequential(*[mod(*args) for _ in range(n)]) if n > 1 else mod(*args)
        m_.f, m_.i = f, i
        save.extend(x % i for x in ([f] if isinstance(f, int) else f) if x != -1)
        layers.append(m_)
        chs.append(c2)
    return nn.Sequential(*layers), sorted(set(save))


class Model(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.model, self.save = parse_model(cfg)
        for m in self.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.eps, m.momentum = 1e-3, 0.03
        detect = self.model[-1]
        detect.stride = torch.tensor([256 / x.shape[-2] for x in self.forward(torch.zeros(1, 3, 256, 256))])
        detect.anchors /= detect.stride.view(-1, 1, 1)

    def forward(self, x):
        y = []
        for m in self.model:
            if m.f != -1:
                x = y[m.f] if isinstance(m.f, int) else [x if j == -1 else y[j] for j in m.f]
            x = m(x)
            y.append(x if m.i in self.save else None)
        return x


# ---------------------------------------------------------------- tiny configs (rows as in public/models/*.yaml)

ANCHORS = [[12, 16, 19, 36, 40, 28], [36, 75, 76, 55, 72, 146], [142, 110, 192, 243, 459, 401]]


def csp_head(sppcsp_from, p4, p3):
    """yolov4-csp's head rows; `from` indices remapped by the caller's backbone length."""
    b = sppcsp_from  # index of the SPPCSP row
    return [
        [-1, 1, 'SPPCSP', [512]],
        [-1, 1, 'Conv', [256, 1, 1]],
        [-1, 1, 'nn.Upsample', ['None', 2, 'nearest']],
        [p4, 1, 'Conv', [256, 1, 1]],
        [[-1, -2], 1, 'Concat', [1]],
        [-1, 2, 'BottleneckCSP2', [256]],
        [-1, 1, 'Conv', [128, 1, 1]],
        [-1, 1, 'nn.Upsample', ['None', 2, 'nearest']],
        [p3, 1, 'Conv', [128, 1, 1]],
        [[-1, -2], 1, 'Concat', [1]],
        [-1, 2, 'BottleneckCSP2', [128]],
        [-1, 1, 'Conv', [256, 3, 1]],
        [-2, 1, 'Conv', [256, 3, 2]],
        [[-1, b + 5], 1, 'Concat', [1]],
        [-1, 2, 'BottleneckCSP2', [256]],
        [-1, 1, 'Conv', [512, 3, 1]],
        [-2, 1, 'Conv', [512, 3, 2]],
        [[-1, b], 1, 'Concat', [1]],
        [-1, 2, 'BottleneckCSP2', [512]],
        [-1, 1, 'Conv', [1024, 3, 1]],
        [[b + 11, b + 15, b + 19], 1, 'Detect', ['nc', 'anchors']],
    ]


CSP_BACKBONE = [
    [-1, 1, 'Conv', [32, 3, 1]], [-1, 1, 'Conv', [64, 3, 2]], [-1, 1, 'Bottleneck', [64]],
    [-1, 1, 'Conv', [128, 3, 2]], [-1, 2, 'BottleneckCSP', [128]], [-1, 1, 'Conv', [256, 3, 2]],
    [-1, 8, 'BottleneckCSP', [256]], [-1, 1, 'Conv', [512, 3, 2]], [-1, 8, 'BottleneckCSP', [512]],
    [-1, 1, 'Conv', [1024, 3, 2]], [-1, 4, 'BottleneckCSP', [1024]],
]


def res_backbone(module, groups, width_per_group, pool_args):
    g, w = groups, width_per_group
    return [
        [-1, 1, 'nn.Conv2d', [64, 7, 2, 3, 1, 1, False]], [-1, 1, 'nn.BatchNorm2d', [64]], [-1, 1, 'nn.ReLU', [True]],
        [-1, 1, 'nn.MaxPool2d', pool_args],
        [-1, 3, module, [64, 1, g, w, True]], [-1, 4, module, [128, 2, g, w, True]],
        [-1, 6, module, [256, 2, g, w, True]], [-1, 3, module, [512, 2, g, w, True]],
    ]


def tiny(backbone, head):
    # width 1/32 keeps every layer at 8..32 channels; depth 0.33 as scale n. ResNeXt's tiny rows use 4 groups of
    # width 16 (2 channels per group in the first stages) because 32x4d needs planes >= 16.
    return {'nc': 4, 'depth_multiple': 0.33, 'width_multiple': 0.03125, 'anchors': ANCHORS, 'backbone': backbone, 'head': head}


FAMILIES = {
    'yolov4-csp': tiny(CSP_BACKBONE, csp_head(11, 8, 6)),
    'yolov4-resnet50': tiny(res_backbone('resLayer', 1, 64, [3, 2, 1]), csp_head(8, 6, 5)),
    'yolov4-resnext50': tiny(res_backbone('resLayer', 4, 16, [3, 2, 1]), csp_head(8, 6, 5)),
    'yolov4-se-resnet50': tiny(res_backbone('seresLayer', 1, 64, [3, 2, 0, 1, False, True]), csp_head(8, 6, 5)),
}

# ---------------------------------------------------------------- output


def yaml_value(v):
    if isinstance(v, bool):
        return 'True' if v else 'False'
    if isinstance(v, list):
        return '[' + ', '.join(yaml_value(x) for x in v) + ']'
    if v == 'nearest':
        return "'nearest'"
    return str(v)


def to_yaml(cfg):
    lines = ['# Tiny parity config written by scripts/parity/make_fixtures.py; do not edit.']
    for key in ('nc', 'depth_multiple', 'width_multiple'):
        lines.append(f'{key}: {cfg[key]}')
    lines.append('anchors:')
    lines += [f'  - {yaml_value(a)}' for a in cfg['anchors']]
    for section in ('backbone', 'head'):
        lines.append(f'{section}:')
        lines += [f'  - {yaml_value(row)}' for row in cfg[section]]
    return '\n'.join(lines) + '\n'


DTYPES = {torch.float32: ('F32', np.float32), torch.int64: ('I64', np.int64)}


def save_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        dtype, np_type = DTYPES[t.dtype]
        data = t.numpy().astype(np_type).astype(np_type().dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':'))
    text += ' ' * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text.encode())
        for chunk in chunks:
            f.write(chunk)


def randomise(model, gen):
    """Non-trivial BN affine and running stats, so eval mode exercises them."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5, generator=gen)
                m.bias.uniform_(-0.2, 0.2, generator=gen)
                m.running_mean.uniform_(-0.2, 0.2, generator=gen)
                m.running_var.uniform_(0.5, 1.5, generator=gen)
                m.num_batches_tracked.fill_(7)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '../../tests/fixtures/parity')
    os.makedirs(out_dir, exist_ok=True)
    for name, cfg in FAMILIES.items():
        torch.manual_seed(0)
        gen = torch.Generator().manual_seed(1)
        model = Model(cfg)
        randomise(model, gen)
        with open(os.path.join(out_dir, f'{name}.yaml'), 'w') as f:
            f.write(to_yaml(cfg))
        save_safetensors(os.path.join(out_dir, f'{name}.weights.safetensors'), model.state_dict())
        params = sum(p.numel() for p in model.parameters())

        images = torch.rand(2, 3, 64, 64, generator=gen)
        io = {'images': images}
        # The reference outputs are computed in float64 and stored as float32: train-mode BN over these tiny maps
        # (2x2 at P5, batch 2) is ill-conditioned, and PyTorch's own float32 run is up to ~7e-4 (relative) off it.
        reference = model.double()
        reference.eval()
        with torch.no_grad():
            for level, p in enumerate(reference(images.double())):
                io[f'eval.p{level + 3}'] = p.float()
        reference.train()
        with torch.no_grad():
            for level, p in enumerate(reference(images.double())):
                io[f'train.p{level + 3}'] = p.float()
        for key, value in reference.state_dict().items():
            if key.endswith('running_mean') or key.endswith('running_var'):
                io[f'train.{key}'] = value.float()
        # Gradients of L = sum_l sum(p_l * r_l) in train mode, for every parameter.
        outputs = reference(images.double())
        weights = [torch.randn(p.shape, generator=gen) for p in outputs]
        sum((p * r.double()).sum() for p, r in zip(outputs, weights)).backward()
        for level, r in enumerate(weights):
            io[f'grad.r{level + 3}'] = r
        for key, param in reference.named_parameters():
            io[f'grad.{key}'] = param.grad.float()
        save_safetensors(os.path.join(out_dir, f'{name}.io.safetensors'), io)
        print(f'{name}: {params} params, {len(list(model.parameters()))} tensors')


if __name__ == '__main__':
    main()
