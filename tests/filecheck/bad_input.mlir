// RUN: buddy-raise %s 2>&1 | filecheck %s
// CHECK: bad_input.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: use of undeclared SSA value name
func.func @f(%a: memref<4xf64>) {
  affine.store %nothing, %a[0] : memref<4xf64>
  return
}
