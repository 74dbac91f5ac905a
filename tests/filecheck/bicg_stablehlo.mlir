// RUN: buddy-raise polybench/kernels/bicg.mlir --target stablehlo --crosscheck small -q | filecheck %s
// bicg: s = 0 then s += r^T A, q = A p; both as stablehlo.dot_general.
// CHECK: func.func @kernel_bicg
// CHECK-NOT: affine.for
// CHECK: scf.if
// CHECK: func.func private @kernel_bicg__raised
// CHECK-NOT: affine.for
// CHECK: stablehlo.constant dense<0.0>
// CHECK-DAG: stablehlo.dot_general %{{.*}}, %{{.*}}, contracting_dims = [0] x [0]
// CHECK-DAG: stablehlo.dot_general %{{.*}}, %{{.*}}, contracting_dims = [1] x [0]
