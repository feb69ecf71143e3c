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
