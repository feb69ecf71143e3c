// hpt-crossbar-tile cuts each ReRAM-placed frozen weight into bit-sliced
// crossbar blocks. The weight here, a linear layer's 200 x 300 W, is stored
// as S = Wᵀ (300 x 200): the linear layer reads it forward, its input
// gradient dy·W reads it transposed.
// RUN: hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile | FileCheck %s --check-prefix=DEFAULT
// RUN: hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="hw=%hpt_src/configs/atleus-like.json report=%t.csv" | FileCheck %s --check-prefix=ATLEUS
// RUN: FileCheck %s --check-prefix=REPORT < %t.csv
// RUN: hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="cell-bits=1" | FileCheck %s --check-prefix=CELL1
// RUN: hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="differential=false" | FileCheck %s --check-prefix=OFFSET
// RUN: hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="rows=64 cols=64 pes-per-tile=16" | FileCheck %s --check-prefix=SMALL
// RUN: hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="groups=2 weight-bits=6" | FileCheck %s --check-prefix=GROUPS
// RUN: hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="input-bits=6 dac-bits=2 adc-bits=9 adcs=32" | FileCheck %s --check-prefix=READS
// RUN: hpt-opt %S/Inputs/frozen-linear.mlir --hpt-crossbar-tile="hw=%hpt_src/configs/atleus-like.json cell-bits=4" | FileCheck %s --check-prefix=OVERRIDE

// 7 magnitude bits in 2-bit cells: 4 slices; ⌈300/128⌉ x ⌈200/128⌉ = 3 x 2
// blocks; 48 crossbars in ± pairs; a PE per slice pair: 24 PEs, one tile of
// 48; 300·200·8 cells of 24·2·128·128.
// DEFAULT: %{{.*}} = hpt.linear {{.*}} {hpt.device = #hpt.device<reram>, pim.crossbars = @xbar_frozen, pim.read = "forward"}
// DEFAULT: %{{.*}} = hpt.matmul {{.*}} {hpt.device = #hpt.device<reram>, pim.crossbars = @xbar_frozen, pim.read = "transposed"}
// DEFAULT: %{{.*}} = hpt.matmul {{.*}} {hpt.device = #hpt.device<reram>, pim.crossbars = @xbar_head, pim.read = "forward"}
// DEFAULT: pim.crossbars @xbar_frozen param @frozen transposed weight 300 x 200 bits 8 cell 2 differential in 128 x 128 groups 1 pes_per_tile 48 input 8 dac 1 adc 8 adcs 16 blocks 3 x 2 slices 4 crossbars 48 pes 24 tiles 0 + 1 utilisation 0.6103515625
// A matmul's right operand is stored as it is read; the next weight starts a tile.
// DEFAULT: pim.crossbars @xbar_head param @head weight 300 x 40 {{.*}} blocks 3 x 1 slices 4 crossbars 24 pes 12 tiles 1 + 1 utilisation 0.244140625

// ATLEUS: module attributes {hpt.hardware = "{{.*}}atleus-like
// ATLEUS: pim.crossbars @xbar_frozen param @frozen transposed weight 300 x 200 bits 8 cell 2 differential in 128 x 128 groups 1 pes_per_tile 48 input 8 dac 1 adc 8 adcs 16 blocks 3 x 2 slices 4 crossbars 48 pes 24
// REPORT: weight,rows,cols,row_blocks,col_blocks,slices,crossbars,pes,first_tile,tiles,utilisation
// REPORT-NEXT: xbar_frozen,300,200,3,2,4,48,24,0,1,0.610352
// REPORT-NEXT: xbar_head,300,40,3,1,4,24,12,1,1,0.244141
// REPORT-NEXT: TOTAL,,,,,,72,36,0,2,0.488281
// REPORT-NEXT: # chip: 2 of 256 tiles (1 x 256), 128x128 crossbars, 2-bit cells, 8-bit weights on +/- pairs

// 1-bit cells: 7 slices.
// CELL1: pim.crossbars @xbar_frozen {{.*}} cell 1 differential {{.*}} blocks 3 x 2 slices 7 crossbars 84 pes 42 tiles 0 + 1
// Offset binary: all 8 bits in 4 slices of one crossbar each.
// OFFSET: pim.crossbars @xbar_frozen {{.*}} bits 8 cell 2 in 128 x 128 {{.*}} blocks 3 x 2 slices 4 crossbars 24 pes 24 tiles 0 + 1 utilisation 0.6103515625
// 64 x 64 crossbars: 5 x 4 blocks, 80 PEs in tiles of 16.
// SMALL: pim.crossbars @xbar_frozen {{.*}} in 64 x 64 groups 1 pes_per_tile 16 {{.*}} blocks 5 x 4 slices 4 crossbars 160 pes 80 tiles 0 + 5
// SMALL: pim.crossbars @xbar_head {{.*}} blocks 5 x 1 slices 4 crossbars 40 pes 20 tiles 5 + 2
// 5 magnitude bits: 3 slices, two per PE (the second PE of a block half empty).
// GROUPS: pim.crossbars @xbar_frozen {{.*}} bits 6 cell 2 differential in 128 x 128 groups 2 {{.*}} blocks 3 x 2 slices 3 crossbars 36 pes 12 tiles 0 + 1 utilisation 0.457763671875
// READS: pim.crossbars @xbar_frozen {{.*}} input 6 dac 2 adc 9 adcs 32 blocks 3 x 2
// The option beats the description, and the recorded description says so.
// OVERRIDE: hpt-crossbar-tile option cell-bits
// OVERRIDE: pim.crossbars @xbar_frozen {{.*}} cell 4 differential {{.*}} slices 2 crossbars 24 pes 12
