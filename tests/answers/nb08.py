"""Learner answers to notebook 08's exercises (PyTorch): net_forward, evaluate_accuracy, train_one_epoch.

net_forward is a method (the notebook runs `Net.forward = check("net_forward", Net.forward)`), so its
answers take (self, x): `self` is a small network with layers fc1, fc2, fc3. torch is imported inside
each answer, never here: this module is imported whenever the corpus test is collected.
"""
from answers import right, wrong


# ---------------------------------------------------------------- net_forward(self, x) -> logits
@wrong("net_forward", "softmax at the end, as in the article's model")
def _(self, x):
    import torch.nn.functional as F
    x = F.relu(self.fc1(x))
    x = F.relu(self.fc2(x))
    return F.softmax(self.fc3(x), dim=1)


@wrong("net_forward", "log_softmax at the end (log-probabilities, not logits)")
def _(self, x):
    import torch.nn.functional as F
    x = F.relu(self.fc1(x))
    x = F.relu(self.fc2(x))
    return F.log_softmax(self.fc3(x), dim=1)


@wrong("net_forward", "softmax over the batch (dim=0) instead of over the classes")
def _(self, x):
    import torch
    x = torch.relu(self.fc1(x))
    x = torch.relu(self.fc2(x))
    return torch.softmax(self.fc3(x), dim=0)


@wrong("net_forward", "ReLU forgotten after fc2")
def _(self, x):
    import torch
    x = torch.relu(self.fc1(x))
    x = self.fc2(x)
    return self.fc3(x)


@wrong("net_forward", "sigmoid between the layers instead of ReLU")
def _(self, x):
    import torch
    x = torch.sigmoid(self.fc1(x))
    x = torch.sigmoid(self.fc2(x))
    return self.fc3(x)


@wrong("net_forward", "ReLU before each layer instead of after it (so also on the input)")
def _(self, x):
    import torch
    x = self.fc1(torch.relu(x))
    x = self.fc2(torch.relu(x))
    return self.fc3(torch.relu(x))


@wrong("net_forward", "ReLU on the output too")
def _(self, x):
    import torch.nn.functional as F
    for layer in (self.fc1, self.fc2, self.fc3):
        x = F.relu(layer(x))
    return x


@wrong("net_forward", "returns the predicted classes (argmax) instead of the logits")
def _(self, x):
    import torch
    x = torch.relu(self.fc1(x))
    x = torch.relu(self.fc2(x))
    return self.fc3(x).argmax(dim=1)


@wrong("net_forward", "the layers by hand without their biases")
def _(self, x):
    import torch
    x = torch.relu(x @ self.fc1.weight.T)
    x = torch.relu(x @ self.fc2.weight.T)
    return x @ self.fc3.weight.T


@wrong("net_forward", "the whole forward under torch.no_grad()")
def _(self, x):
    import torch
    with torch.no_grad():
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


@right("net_forward", "torch.nn.functional.relu, one line")
def _(self, x):
    import torch.nn.functional as F
    return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


@right("net_forward", "a loop over the hidden layers with nn.ReLU()")
def _(self, x):
    from torch import nn
    act = nn.ReLU()
    for layer in (self.fc1, self.fc2):
        x = act(layer(x))
    return self.fc3(x)


@right("net_forward", "F.linear with the layers' weight and bias, clamp(min=0) as ReLU")
def _(self, x):
    import torch.nn.functional as F
    h = F.linear(x, self.fc1.weight, self.fc1.bias).clamp(min=0)
    h = F.linear(h, self.fc2.weight, self.fc2.bias).clamp(min=0)
    return F.linear(h, self.fc3.weight, self.fc3.bias)


@right("net_forward", "in-place ReLU on the hidden outputs")
def _(self, x):
    import torch.nn.functional as F
    h = F.relu(self.fc1(x), inplace=True)
    h = F.relu(self.fc2(h), inplace=True)
    return self.fc3(h)


# ---------------------------------------------------------------- evaluate_accuracy(model, loader) -> float
@wrong("evaluate_accuracy", "model.eval without the parentheses (the method is never called)")
def _(model, loader):
    import torch
    model.eval
    correct = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
            total += yb.shape[0]
    return correct / total


@wrong("evaluate_accuracy", "the counters reset inside the loop: the accuracy of the last batch only")
def _(model, loader):
    import torch
    model.eval()
    with torch.no_grad():
        for xb, yb in loader:
            correct = total = 0
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
            total += len(yb)
    return correct / total


@wrong("evaluate_accuracy", "the accuracy in percent")
def _(model, loader):
    import torch
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(1) == yb).sum().item()
            total += len(yb)
    return 100 * correct / total


@wrong("evaluate_accuracy", "torch.max(...)[0]: the largest logit, not its index, compared with the label")
def _(model, loader):
    import torch
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            predicted = torch.max(model(xb), 1)[0]
            correct += (predicted == yb).sum().item()
            total += len(yb)
    return correct / total


@wrong("evaluate_accuracy", "counts loader.batch_size examples per batch, also for the smaller last batch")
def _(model, loader):
    import torch
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
            total += loader.batch_size
    return correct / total


@wrong("evaluate_accuracy", "the error rate, 1 - accuracy")
def _(model, loader):
    import torch
    model.eval()
    wrong_count = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            wrong_count += (model(xb).argmax(dim=1) != yb).sum().item()
            total += len(yb)
    return wrong_count / total


@wrong("evaluate_accuracy", "divides by the number of batches")
def _(model, loader):
    import torch
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
    return correct / len(loader)


@wrong("evaluate_accuracy", "the mean of the batch accuracies")
def _(model, loader):
    import torch
    model.eval()
    accs = []
    with torch.no_grad():
        for xb, yb in loader:
            accs.append((model(xb).argmax(dim=1) == yb).float().mean().item())
    return sum(accs) / len(accs)


@right("evaluate_accuracy", "divides by len(loader.dataset)")
def _(model, loader):
    import torch
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in loader:
            _, predicted = torch.max(model(xb), 1)
            correct += (predicted == yb).sum().item()
    return correct / len(loader.dataset)


@right("evaluate_accuracy", "softmax before argmax, and the model's mode restored at the end")
def _(model, loader):
    import torch
    was_training = model.training
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            probs = torch.softmax(model(xb), dim=1)
            correct += int(probs.argmax(dim=1).eq(yb).sum())
            total += yb.numel()
    model.train(was_training)
    return correct / total


@right("evaluate_accuracy", "batch means weighted by the batch sizes, model.train(False)")
def _(model, loader):
    import torch
    model.train(False)
    weighted, total = 0.0, 0
    with torch.inference_mode():
        for xb, yb in loader:
            weighted += (model(xb).argmax(1) == yb).float().mean().item() * len(yb)
            total += len(yb)
    return weighted / total


@right("evaluate_accuracy", "all predictions concatenated, a float32 0-d tensor returned")
def _(model, loader):
    import torch
    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(xb).argmax(dim=1) for xb, _ in loader])
        labels = torch.cat([yb for _, yb in loader])
    return (predicted == labels).float().mean()


# ---------------------------------------------------------------- train_one_epoch(model, loader, loss_fn, optimizer)
@wrong("train_one_epoch", "optimizer.step() forgotten")
def _(model, loader, loss_fn, optimizer):
    model.train()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        losses.append(loss.item())
    return losses


@wrong("train_one_epoch", "zero_grad once, before the loop")
def _(model, loader, loss_fn, optimizer):
    model.train()
    optimizer.zero_grad()
    losses = []
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@wrong("train_one_epoch", "returns the mean loss of the epoch instead of the list")
def _(model, loader, loss_fn, optimizer):
    model.train()
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)


@wrong("train_one_epoch", "each batch's loss multiplied by its size (the summed loss, for an epoch total)")
def _(model, loader, loss_fn, optimizer):
    model.train()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item() * xb.size(0))
    return losses


@wrong("train_one_epoch", "the running mean of the losses so far, as a progress bar shows it")
def _(model, loader, loss_fn, optimizer):
    model.train()
    losses, running = [], 0.0
    for i, (xb, yb) in enumerate(loader):
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        running += loss.item()
        losses.append(running / (i + 1))
    return losses


@wrong("train_one_epoch", "the loss computed again after the step, with the updated weights")
def _(model, loader, loss_fn, optimizer):
    import torch
    model.train()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss_fn(model(xb), yb).backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(loss_fn(model(xb), yb).item())
    return losses


@wrong("train_one_epoch", "backward and step indented out of the loop: one step, after the last batch")
def _(model, loader, loss_fn, optimizer):
    model.train()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        losses.append(loss.item())
    loss.backward()
    optimizer.step()
    return losses


@wrong("train_one_epoch", "model.eval() instead of model.train()")
def _(model, loader, loss_fn, optimizer):
    model.eval()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@wrong("train_one_epoch", "softmax on the logits before nn.CrossEntropyLoss")
def _(model, loader, loss_fn, optimizer):
    import torch.nn.functional as F
    model.train()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(F.softmax(model(xb), dim=1), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@wrong("train_one_epoch", "the loss tensors appended, not numbers")
def _(model, loader, loss_fn, optimizer):
    model.train()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss)
    return losses


@right("train_one_epoch", "zero_grad at the end of each batch, float(loss)")
def _(model, loader, loss_fn, optimizer):
    model.train()
    losses = []
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(float(loss))
    return losses


@right("train_one_epoch", "model.zero_grad(), the loss recorded before backward")
def _(model, loader, loss_fn, optimizer):
    model.train(True)
    history = []
    for inputs, targets in loader:
        model.zero_grad()
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
        history.append(loss.detach().item())
        loss.backward()
        optimizer.step()
    return history


@right("train_one_epoch", "optimizer.step(closure), PyTorch's closure form")
def _(model, loader, loss_fn, optimizer):
    model.train()
    losses = []
    for xb, yb in loader:
        def closure():
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            return loss
        losses.append(optimizer.step(closure).item())
    return losses
