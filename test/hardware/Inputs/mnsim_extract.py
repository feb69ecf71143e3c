#!/usr/bin/python3
# mnsim_extract.py -- driver that runs MNSIM 2.0 (github.com/thu-nics/MNSIM-2.0, commit ca39ccb,
# unmodified) at hardware-only level (Simulation_Level 0: no accuracy simulation, no weight file) and
# writes one CSV row per layer plus a TOTAL row per network, in the column format of
# /work/shared/reference/pim/mnsim_given.csv (CRLF line ends, Python repr of MNSIM's own numbers).
#
# Made 2026-12-01 with /usr/bin/python3 (Python 3, numpy 1.24, torch 1.13), MNSIM checked out to /tmp/mnsim
# (git show of every file at ca39ccb; the booksim binary blob is absent and not needed):
#   /usr/bin/python3 mnsim_extract.py --preset given --out valid.csv  # == mnsim_given.csv (byte-identical rows)
#   /usr/bin/python3 mnsim_extract.py --preset extra --out mnsim_extra.csv
# or --jobs CONFIG:NET[,NET...] ...   with the configs in --configs (default /work/shared/reference/pim/configs).
# NET: gemm_M_K_N (1x1 conv, K->N channels, image M x 1), gemmw_M_K_N (image 1 x M), lenet, alexnet, vgg8
#      (MNSIM's bundled nets, CIFAR-10 input 1x3x32x32), optionally suffixed _wXaY (X-bit weights and
#      Y-bit activations on every layer instead of MNSIM's 9/9).
# The calls mirror MNSIM's main.py: TCG -> Model_latency.calculate_model_latency(mode=1) -> Model_area ->
# Model_inference_power -> Model_energy. No MNSIM file is patched; the one environment change is an empty
# stand-in 'pandas' module in sys.modules (imported by MNSIM, used only when NoC_enable = 1; not installed).
# TOTAL row: PEs = MNSIM's printed "Total crossbar number" (sum of mx*my over conv/fc layers only), tiles
# and crossbars summed over all layers, finish = max finish, areas/powers/energies = MNSIM's arch_total_*.
import argparse, contextlib, csv, io, os, re, sys, time, types

HEADER = ("net,config,wbits,abits,layer,type,in_ch,out_ch,kernel,stride,padding,in_size,out_size,"
          "mx,my,PEs,tiles,crossbars,max_row,max_col,max_PE_per_tile,n_outputs,begin_ns,finish_ns,"
          "layer_latency_ns,occupancy,sum_buffer_lat_ns,sum_buffer_r_lat_ns,sum_buffer_w_lat_ns,"
          "sum_computing_lat_ns,sum_DAC_lat_ns,sum_xbar_lat_ns,sum_ADC_lat_ns,sum_digital_lat_ns,"
          "sum_iReg_lat_ns,sum_oReg_lat_ns,sum_input_demux_lat_ns,sum_output_mux_lat_ns,"
          "sum_shiftreg_lat_ns,sum_adder_lat_ns,sum_jointmodule_lat_ns,sum_pooling_lat_ns,"
          "sum_intra_tile_lat_ns,sum_inter_tile_lat_ns,area_um2,area_xbar_um2,area_ADC_um2,"
          "area_DAC_um2,area_digital_um2,area_buf_um2,area_pooling_um2,power_W,power_xbar_W,"
          "power_ADC_W,power_DAC_W,power_digital_W,power_buf_W,energy_nJ,energy_xbar_nJ,energy_ADC_nJ,"
          "energy_DAC_nJ,energy_digital_nJ,energy_adder_nJ_not_in_total,energy_shiftreg_nJ,"
          "energy_iReg_nJ,energy_oReg_nJ,energy_input_demux_nJ,energy_output_mux_nJ,"
          "energy_jointmodule_nJ,energy_buf_nJ,energy_buf_r_nJ,energy_buf_w_nJ,energy_pooling_nJ").split(',')


def setup(mnsim_dir):
    sys.modules.setdefault('pandas', types.ModuleType('pandas'))  # unused at NoC_enable = 0
    sys.path.insert(0, mnsim_dir)
    os.chdir(mnsim_dir)


def build_net(iface, name):
    """Return (net, wbits, abits) as an MNSIM NetworkGraph."""
    from MNSIM.Interface import network, quantize
    wbits = abits = 9
    m = re.fullmatch(r'(.*)_w(\d+)a(\d+)', name)
    base = name
    if m:
        base, wbits, abits = m.group(1), int(m.group(2)), int(m.group(3))
    g = re.fullmatch(r'(gemmw?)_(\d+)_(\d+)_(\d+)', base)
    if g:
        M, K, N = int(g.group(2)), int(g.group(3)), int(g.group(4))
        shape = (1, K, M, 1) if g.group(1) == 'gemm' else (1, K, 1, M)
        layers = [{'type': 'conv', 'in_channels': K, 'out_channels': N, 'kernel_size': 1},
                  {'type': 'bn', 'features': N}]
        qcfg = [{'weight_bit': wbits, 'activation_bit': abits, 'point_shift': -2} for _ in layers]
        params = {'activation_scale': 1. / 255., 'activation_bit': abits, 'input_shape': shape}
        net = network.NetworkGraph(iface.hardware_config, layers, qcfg, [[-1], [-1]], params)
    else:
        net = network.get_net(iface.hardware_config, cate=base, num_classes=10)  # 9/9 bits, 1x3x32x32
        if (wbits, abits) != (9, 9):
            for layer in net.layer_list:
                layer.quantize_config['weight_bit'] = wbits
                layer.quantize_config['activation_bit'] = abits
                if isinstance(layer, quantize.QuantizeLayer):
                    layer.bit_scale_list[0, 0] = abits
                    layer.bit_scale_list[1, 0] = wbits
                    layer.bit_scale_list[2, 0] = abits
            net.input_params['activation_bit'] = abits
    return net, wbits, abits


def run(config_path, config_name, net_name):
    from MNSIM.Interface.interface import TrainTestInterface
    from MNSIM.Mapping_Model.Tile_connection_graph import TCG
    from MNSIM.Latency_Model.Model_latency import Model_latency
    from MNSIM.Area_Model.Model_Area import Model_area
    from MNSIM.Power_Model.Model_inference_power import Model_inference_power
    from MNSIM.Energy_Model.Model_energy import Model_energy
    with contextlib.redirect_stdout(io.StringIO()):
        iface = TrainTestInterface(network_module='lenet', dataset_module='MNSIM.Interface.cifar10',
                                   SimConfig_path=config_path, weights_file=None, device=None)
        iface.net, wbits, abits = build_net(iface, net_name)
        structure = iface.get_structure()
        tcg = TCG(structure, config_path)
        lat = Model_latency(NetStruct=structure, SimConfig_path=config_path, TCG_mapping=tcg)
        lat.calculate_model_latency(mode=1)
        area = Model_area(NetStruct=structure, SimConfig_path=config_path, TCG_mapping=tcg)
        power = Model_inference_power(NetStruct=structure, SimConfig_path=config_path, TCG_mapping=tcg)
        energy = Model_energy(NetStruct=structure, SimConfig_path=config_path, TCG_mapping=tcg,
                              model_latency=lat, model_power=power)
    polarity = tcg.xbar_polarity
    rows = []
    for i in range(len(structure)):
        d = structure[i][0][0]
        ti = tcg.layer_tileinfo[i]
        r = dict.fromkeys(HEADER, '')
        r.update(net=net_name, config=config_name, wbits=wbits, abits=abits, layer=i, type=d['type'])
        if d['type'] in ('conv', 'pooling'):
            r.update(in_ch=d['Inputchannel'], out_ch=d['Outputchannel'], kernel=d['Kernelsize'],
                     stride=d['Stride'], padding=d['Padding'],
                     in_size='x'.join(map(str, d['Inputsize'])), out_size='x'.join(map(str, d['Outputsize'])))
        elif d['type'] == 'fc':
            r.update(in_ch=d['Infeature'], out_ch=d['Outfeature'], out_size='x'.join(map(str, d['Outputsize'])))
        r.update(mx=ti['mx'], my=ti['my'], PEs=ti['PEnum'], tiles=ti['tilenum'],
                 crossbars=ti['PEnum'] * ti['max_group'] * polarity, max_row=ti['max_row'],
                 max_col=ti['max_column'], max_PE_per_tile=ti['max_PE'])
        fin = lat.finish_time[i]
        if i == 0:
            layer_lat = max(fin)
        else:
            layer_lat = max(fin) - max(lat.finish_time[i + int(d['Inputindex'][0])])
        r.update(n_outputs=len(fin), begin_ns=min(lat.begin_time[i]), finish_ns=max(fin),
                 layer_latency_ns=layer_lat, occupancy=lat.occupancy[i])
        for col, attr in [('buffer', 'buffer'), ('buffer_r', 'buffer_r'), ('buffer_w', 'buffer_w'),
                          ('computing', 'computing'), ('DAC', 'DAC'), ('xbar', 'xbar'), ('ADC', 'ADC'),
                          ('digital', 'digital'), ('iReg', 'iReg'), ('oReg', 'oReg'),
                          ('input_demux', 'input_demux'), ('output_mux', 'output_mux'),
                          ('shiftreg', 'shiftreg'), ('adder', 'adder'), ('jointmodule', 'jointmodule'),
                          ('pooling', 'pooling'), ('intra_tile', 'intra_tile'), ('inter_tile', 'inter_tile')]:
            r['sum_%s_lat_ns' % col] = getattr(lat, 'total_%s_latency' % attr)[i]
        r['area_um2'] = area.arch_area[i]
        for c in ('xbar', 'ADC', 'DAC', 'digital', 'buf', 'pooling'):
            r['area_%s_um2' % c] = getattr(area, 'arch_%s_area' % c)[i]
        r['power_W'] = power.arch_power[i]
        for c in ('xbar', 'ADC', 'DAC', 'digital', 'buf'):
            r['power_%s_W' % c] = getattr(power, 'arch_%s_power' % c)[i]
        r['energy_nJ'] = energy.arch_energy[i]
        r['energy_adder_nJ_not_in_total'] = energy.arch_adder_energy[i]
        for c in ('xbar', 'ADC', 'DAC', 'digital', 'shiftreg', 'iReg', 'oReg', 'input_demux',
                  'output_mux', 'jointmodule', 'buf', 'buf_r', 'buf_w', 'pooling'):
            r['energy_%s_nJ' % c] = getattr(energy, 'arch_%s_energy' % c)[i]
        rows.append(r)
    t = dict.fromkeys(HEADER, '')
    total_lat = max(max(f) for f in lat.finish_time)
    t.update(net=net_name, config=config_name, wbits=wbits, abits=abits, layer='TOTAL',
             PEs=sum(r['PEs'] for r in rows if r['type'] in ('conv', 'fc')),  # = MNSIM's printed 'Total crossbar number'
             tiles=sum(r['tiles'] for r in rows),
             crossbars=sum(r['crossbars'] for r in rows), finish_ns=total_lat, layer_latency_ns=total_lat)
    t['area_um2'] = area.arch_total_area
    for c in ('xbar', 'ADC', 'DAC', 'digital', 'buf', 'pooling'):
        t['area_%s_um2' % c] = getattr(area, 'arch_total_%s_area' % c)
    t['power_W'] = power.arch_total_power
    for c in ('xbar', 'ADC', 'DAC', 'digital', 'buf'):
        t['power_%s_W' % c] = getattr(power, 'arch_total_%s_power' % c)
    t['energy_nJ'] = energy.arch_total_energy
    t['energy_adder_nJ_not_in_total'] = energy.arch_total_adder_energy
    for c in ('xbar', 'ADC', 'DAC', 'digital', 'buf', 'buf_r', 'buf_w', 'pooling'):
        t['energy_%s_nJ' % c] = getattr(energy, 'arch_total_%s_energy' % c)
    rows.append(t)
    return rows


SHAPES = ['512_512', '512_1024', '1024_512', '512_2048', '12_256', '256_512']
GEMMS = ['gemm_%d_%s' % (m, sh) for m in (1, 12, 64) for sh in SHAPES]
GIVEN_NETS = GEMMS + ['lenet', 'alexnet']
PRESETS = {
    'given': [('default', GIVEN_NETS), ('xbar128', GIVEN_NETS)],
    'extra': [(c, GIVEN_NETS + ['vgg8']) for c in ('adc8_mux8', 'dac2', 'cell2bit')] + [
        ('default', ['vgg8'] + ['gemmw_%d_%s' % (m, sh) for m in (12, 64) for sh in SHAPES]
         + ['gemm_256_1024_512', 'gemmw_256_1024_512']
         + ['%s_w%da%d' % (n, w, a) for n in ('gemm_12_512_512', 'lenet') for w in (4, 8) for a in (4, 8)]),
        ('xbar128', ['vgg8'])],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mnsim', default='/tmp/mnsim')
    ap.add_argument('--configs', default='/work/shared/reference/pim/configs')
    ap.add_argument('--jobs', nargs='+', default=[], help='CONFIG:NET[,NET...]')
    ap.add_argument('--preset', choices=sorted(PRESETS))
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    configs = os.path.abspath(a.configs)
    out = os.path.abspath(a.out)
    setup(os.path.abspath(a.mnsim))
    with open(out, 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator='\r\n')
        w.writeheader()
        jobs = [(c, n.split(',')) for c, n in (j.split(':') for j in a.jobs)]
        if a.preset:
            jobs = PRESETS[a.preset] + jobs
        for cfg, nets in jobs:
            for net in nets:
                t0 = time.time()
                rows = run(os.path.join(configs, cfg + '.ini'), cfg, net)
                w.writerows(rows)
                f.flush()
                print('%s %s: %d rows, %.1f s' % (cfg, net, len(rows), time.time() - t0), file=sys.stderr)


if __name__ == '__main__':
    main()
