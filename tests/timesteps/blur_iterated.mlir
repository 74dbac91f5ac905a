// Image smoothing applied 7 times: a vertical 3-tap mean into a scratch image, then a
// horizontal 3-tap mean back (separable box blur), f32, 37 x 23 pixels, borders kept.
module {
  func.func @blur_iterated(%img: memref<37x23xf32>, %tmp: memref<37x23xf32>) {
    %third = arith.constant 0.333333343 : f32
    affine.for %t = 0 to 7 {
      affine.for %i = 1 to 36 {
        affine.for %j = 0 to 23 {
          %a = affine.load %img[%i - 1, %j] : memref<37x23xf32>
          %b = affine.load %img[%i, %j] : memref<37x23xf32>
          %c = affine.load %img[%i + 1, %j] : memref<37x23xf32>
          %s = arith.addf %a, %b : f32
          %s2 = arith.addf %s, %c : f32
          %m = arith.mulf %s2, %third : f32
          affine.store %m, %tmp[%i, %j] : memref<37x23xf32>
        }
      }
      affine.for %i = 1 to 36 {
        affine.for %j = 1 to 22 {
          %a = affine.load %tmp[%i, %j - 1] : memref<37x23xf32>
          %b = affine.load %tmp[%i, %j] : memref<37x23xf32>
          %c = affine.load %tmp[%i, %j + 1] : memref<37x23xf32>
          %s = arith.addf %a, %b : f32
          %s2 = arith.addf %s, %c : f32
          %m = arith.mulf %s2, %third : f32
          affine.store %m, %img[%i, %j] : memref<37x23xf32>
        }
      }
    }
    return
  }
}
