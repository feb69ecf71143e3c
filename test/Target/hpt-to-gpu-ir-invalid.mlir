// RUN: not hpt-translate --hpt-to-gpu-ir %s 2>&1 | FileCheck %s

// A kernel must write its results into its arguments: one that returns a
// new tensor would allocate on the GPU.
#id = affine_map<(d0) -> (d0)>
module {
  module @hpt_gpu {
    // CHECK: error: kernel @fresh: a result is not written in place in its argument
    func.func @fresh(%a: tensor<4xf32>) -> tensor<4xf32> {
      %e = tensor.empty() : tensor<4xf32>
      %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
      ^bb0(%x: f32, %o: f32):
        linalg.yield %x : f32
      } -> tensor<4xf32>
      return %r : tensor<4xf32>
    }
  }
}
