// p = length of the longest prefix of x with x[i] > 0 (an scf.while), then y[i] = 2 * x[i]
// for i < p (y[i] kept for i >= p); static 11 f64. Not raisable by design: the loop bound
// depends on the data.
module {
  func.func @c_while_prefix(%arg0: memref<11xf64>, %arg1: memref<11xf64>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c11 = arith.constant 11 : index
    %false = arith.constant false
    %cst = arith.constant 0.000000e+00 : f64
    %cst_0 = arith.constant 2.000000e+00 : f64
    %0 = scf.while (%arg2 = %c0) : (index) -> index {
      %1 = arith.cmpi slt, %arg2, %c11 : index
      %2 = scf.if %1 -> (i1) {
        %3 = memref.load %arg0[%arg2] : memref<11xf64>
        %4 = arith.cmpf ogt, %3, %cst : f64
        scf.yield %4 : i1
      } else {
        scf.yield %false : i1
      }
      scf.condition(%2) %arg2 : index
    } do {
    ^bb0(%arg2: index):
      %1 = arith.addi %arg2, %c1 : index
      scf.yield %1 : index
    }
    affine.for %arg2 = 0 to %0 {
      %1 = affine.load %arg0[%arg2] : memref<11xf64>
      %2 = arith.mulf %cst_0, %1 : f64
      affine.store %2, %arg1[%arg2] : memref<11xf64>
    }
    return
  }
}
