// RUN: hpt-translate --hpt-to-bundle %s -split-input-file -verify-diagnostics

// expected-error @+1 {{'func.func' op argument type 'tensor<2xf64>' is not supported by hpt-run (f32 only)}}
func.func @f64(%x: tensor<2xf64>) -> tensor<2xf64> {
  %0 = hpt.relu %x : tensor<2xf64>
  return %0 : tensor<2xf64>
}



// -----

// expected-error @+1 {{'func.func' op argument type 'i32' is not supported by hpt-run (f32 only)}}
func.func @scalar_argument(%x: i32) {
  return
}

// -----

func.func @foreign(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'tensor.cast' op cannot be executed by hpt-run (only hpt ops can)}}
  %0 = tensor.cast %x : tensor<2xf32> to tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error @+1 {{'hpt.param' op type 'tensor<2xf16>' is not supported by hpt-run (f32 only)}}
hpt.param @half : tensor<2xf16> init <zeros> seed 1
func.func @f() {
  return
}

// -----

// An op placed off the host needs the hardware description it was placed for.
func.func @no_description(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'hpt.relu' op is placed on systolic, but the module names no hardware description (give hw=FILE to hpt-place or hpt-systolic-tile)}}
  %y = hpt.relu %x {hpt.device = #hpt.device<systolic>} : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// An op on the systolic array needs a stream (the array runs no relu).
module attributes {hpt.hardware = "{\"format\":\"hpt-hardware-description\",\"version\":1,\"name\":\"atleus-like\",\"summary\":\"HpT's hybrid machine as far as public sources describe it: Atleus's systolic cores (Dhingra, Doppa, Pande, IEEE TCAD 2025, arXiv 2501.09588), the host hpt runs on, and links of our own assumption. ReRAM and GPU sections come with their devices.\",\"host\":{\"gemm_rate\":{\"value\":219.0,\"unit\":\"GFLOP/s\",\"source\":\"measured: bench/host_throughput.cpp (hpt-bench-host --seconds 0.5), 2026-11-30, AMD EPYC (Zen 5), 2 threads, Wind step shapes\"},\"vector_rate\":{\"value\":0.42,\"unit\":\"Gelement/s\",\"source\":\"measured: bench/host_throughput.cpp (hpt-bench-host --seconds 0.5), 2026-11-30, AMD EPYC (Zen 5), 2 threads, Wind step shapes\"},\"active_power\":{\"value\":10.0,\"unit\":\"W\",\"source\":\"assumption: two cores of a server CPU while running an op\"},\"static_power\":{\"value\":0.0,\"unit\":\"W\",\"source\":\"assumption: the host's idle power is not charged to training\"}},\"systolic\":{\"instances\":{\"value\":16,\"unit\":\"cores\",\"source\":\"assumption: Atleus does not state its systolic core count; 16, as its ReRAM cores\"},\"rows\":{\"value\":128,\"unit\":\"PEs\",\"source\":\"Atleus: 128 x 32 PEs per systolic core (reference/hpt-hardware.md)\"},\"cols\":{\"value\":32,\"unit\":\"PEs\",\"source\":\"Atleus: 128 x 32 PEs per systolic core (reference/hpt-hardware.md)\"},\"ifmap_sram\":{\"value\":512,\"unit\":\"KiB\",\"source\":\"assumption: 512 KiB per SRAM (SCALE-Sim counts one element per byte)\"},\"filter_sram\":{\"value\":512,\"unit\":\"KiB\",\"source\":\"assumption: 512 KiB per SRAM (SCALE-Sim counts one element per byte)\"},\"ofmap_sram\":{\"value\":512,\"unit\":\"KiB\",\"source\":\"assumption: 512 KiB per SRAM (SCALE-Sim counts one element per byte)\"},\"clock\":{\"value\":1.0,\"unit\":\"GHz\",\"source\":\"assumption: Atleus does not state its clock\"},\"mac_energy\":{\"value\":4.6,\"unit\":\"pJ\",\"source\":\"fp32 add 0.9 pJ + fp32 multiply 3.7 pJ: Horowitz, 'Computing's energy problem', ISSCC 2014, 45 nm\"},\"sram_access_energy\":{\"value\":10.0,\"unit\":\"pJ\",\"source\":\"8 kB SRAM, 64-bit access (one element access counted as one): Horowitz, ISSCC 2014, 45 nm\"},\"dram_energy\":{\"value\":64.0,\"unit\":\"pJ/byte\",\"source\":\"LPDDR4 64-bit access 512 pJ / 8 bytes: Timeloop+Accelergy Eyeriss-192 reference output\"},\"vector_op_energy\":{\"value\":4.6,\"unit\":\"pJ\",\"source\":\"assumption: one fp32 multiply and add per element visit (Horowitz, ISSCC 2014, 45 nm)\"},\"static_power\":{\"value\":0.1,\"unit\":\"W\",\"source\":\"assumption: leakage of one core\"},\"dataflow\":{\"value\":\"ws\",\"source\":\"assumption: weight stationary (Atleus does not state the dataflow)\"},\"element\":{\"value\":\"f32\",\"source\":\"assumption: fp32 operands, so training through the array matches the host\"}},\"links\":[{\"between\":[\"host\",\"systolic\"],\"bandwidth\":{\"value\":32.0,\"unit\":\"GB/s\",\"source\":\"assumption: a PCIe 4.0 x16-class host link\"},\"latency\":{\"value\":1000.0,\"unit\":\"ns\",\"source\":\"assumption: one host link transaction\"},\"energy\":{\"value\":40.0,\"unit\":\"pJ/byte\",\"source\":\"assumption: 5 pJ/bit for an off-package link\"}},{\"between\":[\"systolic\",\"systolic\"],\"bandwidth\":{\"value\":128.0,\"unit\":\"GB/s\",\"source\":\"assumption: one link of Atleus's 3D network on chip (not stated there)\"},\"latency\":{\"value\":20.0,\"unit\":\"ns\",\"source\":\"assumption: a few router hops of a 3D network on chip\"},\"energy\":{\"value\":1.0,\"unit\":\"pJ/byte\",\"source\":\"assumption: on-chip network and TSV traversal\"}}]}"} {
  func.func @no_stream(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    // expected-error @+1 {{'hpt.relu' op is placed on the systolic array but has no stream (it runs matrix products}}
    %y = hpt.relu %x {hpt.device = #hpt.device<systolic>} : tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  }
}
