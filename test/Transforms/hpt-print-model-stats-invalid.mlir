// RUN: hpt-opt %s --hpt-print-model-stats=function=train_step -verify-diagnostics -o /dev/null
// RUN: not hpt-opt %s --hpt-print-model-stats=format=yaml -o /dev/null 2>&1 | FileCheck %s --check-prefix=FORMAT

// FORMAT: error: hpt-print-model-stats: format must be text or json, got 'yaml'

// expected-error @+1 {{no function @train_step to count FLOPs of}}
module {
  func.func @forward() {
    return
  }
}
