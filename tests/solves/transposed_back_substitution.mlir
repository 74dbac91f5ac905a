module {
  func.func @solve_lt(%n: i32, %L: memref<7x7xf64>, %b: memref<7xf64>, %x: memref<7xf64>) {
    %unused = arith.constant 2.500000e+00 : f64
    affine.for %ii = 0 to 7 {
      %0 = affine.load %b[-%ii + 6] : memref<7xf64>
      %acc = affine.for %j = affine_map<(d0) -> (-d0 + 7)>(%ii) to 7 iter_args(%s = %0) -> (f64) {
        %1 = affine.load %L[%j, -%ii + 6] : memref<7x7xf64>
        %2 = affine.load %x[%j] : memref<7xf64>
        %3 = arith.mulf %1, %2 : f64
        %4 = arith.subf %s, %3 : f64
        affine.yield %4 : f64
      }
      %5 = affine.load %L[-%ii + 6, -%ii + 6] : memref<7x7xf64>
      %6 = arith.divf %acc, %5 : f64
      affine.store %6, %x[-%ii + 6] : memref<7xf64>
    }
    return
  }
}
